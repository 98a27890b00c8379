use hilok::*;
use std::time::Duration;
#[test]
fn smoke() {
    let h = HiLok::new();
    let r = h.read("a/b/c").unwrap();
    assert_eq!(h.node_count(), 3);
    let h2 = h.clone(); assert_eq!(std::thread::spawn(move || h2.try_write("a/b").unwrap_err()).join().unwrap(), Error::WouldBlock);
    let w = h.write("a/x").unwrap();
    assert_eq!(h.node_count(), 4);
    drop(r);
    assert_eq!(h.node_count(), 2);
    drop(w);
    assert_eq!(h.node_count(), 0);
    let w = h.write("a/b").unwrap();
    h.rename("a/b", "x/y/z").unwrap();
    assert_eq!(w.path().as_deref(), Some("x/y/z"));
    assert_eq!(h.node_count(), 3);
    let t = std::thread::spawn({ let h = h.clone(); move || h.write_for("x", Duration::from_millis(50)).unwrap_err() });
    assert_eq!(t.join().unwrap(), Error::Timeout);
    drop(w);
    assert_eq!(h.node_count(), 0);
}
