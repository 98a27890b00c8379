//! Path splitting and the bounds on what a path may be.
//!
//! A path is split on a one-character separator; empty components are
//! dropped, so `"//a//b//"` is `a` then `b`. A path with no component, more
//! than [`MAX_COMPONENTS`] components, or more than [`MAX_PATH_BYTES`] bytes is
//! invalid. Splitting never allocates.

use core::fmt;

/// The most components a path may have.
pub const MAX_COMPONENTS: usize = 1024;

/// The most bytes a path may have, separators included.
pub const MAX_PATH_BYTES: usize = 64 * 1024;

/// Why a path was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathError {
    /// The path has no component (it is empty or only separators).
    Empty,
    /// The path has more than [`MAX_COMPONENTS`] components.
    TooDeep,
    /// The path has more than [`MAX_PATH_BYTES`] bytes.
    TooLong,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Empty => f.write_str("the path has no component"),
            PathError::TooDeep => write!(f, "the path has more than {MAX_COMPONENTS} components"),
            PathError::TooLong => write!(f, "the path is longer than {MAX_PATH_BYTES} bytes"),
        }
    }
}

/// The non-empty components of `path`, root first.
#[inline]
pub fn components(path: &str, sep: char) -> Components<'_> {
    Components { rest: path, sep }
}

/// The iterator [`components`] returns.
///
/// A hand-written splitter: paths are short, and `str::split` costs more in
/// set-up than a byte scan costs in total. An ASCII separator is found by
/// scanning bytes (it cannot occur inside a multi-byte character); any other
/// separator by `str::split_once`.
#[derive(Clone, Debug)]
pub struct Components<'a> {
    rest: &'a str,
    sep: char,
}

impl<'a> Components<'a> {
    /// The next component, empty ones included; `None` at the end.
    #[inline]
    fn next_raw(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let (head, tail) = if self.sep.is_ascii() {
            let sep = self.sep as u8;
            match self.rest.bytes().position(|b| b == sep) {
                // ASCII bytes are character boundaries: both slices are valid.
                Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
                None => (self.rest, ""),
            }
        } else {
            self.rest.split_once(self.sep).unwrap_or((self.rest, ""))
        };
        self.rest = tail;
        Some(head)
    }
}

impl<'a> Iterator for Components<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        loop {
            match self.next_raw()? {
                "" => continue,
                c => return Some(c),
            }
        }
    }
}

/// `path` itself if it is one component with no separator in it (the
/// common rest of a path whose ancestors are known), found in one scan;
/// `None` otherwise (also for a separator that is not ASCII).
#[inline]
pub fn single(path: &str, sep: char) -> Option<&str> {
    let sep = u8::try_from(sep).ok().filter(u8::is_ascii)?;
    let one = !path.is_empty() && !path.bytes().any(|b| b == sep);
    one.then_some(path)
}

/// Checks `path` against the bounds and returns its number of components.
#[inline]
pub fn depth(path: &str, sep: char) -> Result<usize, PathError> {
    if path.len() > MAX_PATH_BYTES {
        return Err(PathError::TooLong);
    }
    let n = components(path, sep).count();
    match n {
        0 => Err(PathError::Empty),
        n if n > MAX_COMPONENTS => Err(PathError::TooDeep),
        n => Ok(n),
    }
}

/// Checks `path` against the bounds without counting its components when it
/// is too short to have too many (the common case: no second pass).
#[inline]
pub fn check(path: &str, sep: char) -> Result<(), PathError> {
    if path.len() < 2 * MAX_COMPONENTS {
        // Each component but the last needs a separator after it, so at most
        // (len + 1) / 2 components fit: never more than the bound.
        match components(path, sep).next() {
            Some(_) => Ok(()),
            None => Err(PathError::Empty),
        }
    } else {
        depth(path, sep).map(drop)
    }
}

/// [`check`] for a path known to have a component (it shares one with a
/// path checked before): counts nothing unless it is long enough to have
/// too many.
#[inline]
pub fn check_known_nonempty(path: &str, sep: char) -> Result<(), PathError> {
    if path.len() < 2 * MAX_COMPONENTS {
        Ok(())
    } else {
        depth(path, sep).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    #[test]
    fn single_is_a_path_of_one_component_and_no_separator() {
        for (path, sep, want) in [
            ("f12", '/', Some("f12")),
            ("", '/', None),
            ("/", '/', None),
            ("a/", '/', None),
            ("a/b", '/', None),
            ("a→", '→', None),
            ("a:b", '/', Some("a:b")),
        ] {
            assert_eq!(single(path, sep), want, "{path:?}");
            if let Some(one) = want {
                assert_eq!(components(path, sep).collect::<Vec<_>>(), [one]);
            }
        }
    }

    #[test]
    fn splits_like_str_split() {
        let paths = [
            "",
            "/",
            "a",
            "/a/",
            "a//b",
            "é/ü//ß/",
            "a→b→→c",
            "→",
            "x→",
            "a:b/c",
        ];
        for sep in ['/', '→', ':', 'é'] {
            for p in paths {
                let ours: Vec<_> = components(p, sep).collect();
                let std: Vec<_> = p.split(sep).filter(|c| !c.is_empty()).collect();
                assert_eq!(ours, std, "{p:?} on {sep:?}");
            }
        }
    }

    #[test]
    fn empty_components_are_dropped() {
        let c: Vec<_> = components("//a//b//", '/').collect();
        assert_eq!(c, ["a", "b"]);
        assert_eq!(depth("//a//b//", '/'), Ok(2));
        assert_eq!(depth("a:b:c", ':'), Ok(3));
        assert_eq!(depth("a/b", ':'), Ok(1));
    }

    #[test]
    fn paths_without_components_are_refused() {
        for p in ["", "/", "////"] {
            assert_eq!(depth(p, '/'), Err(PathError::Empty), "{p:?}");
        }
    }

    #[test]
    fn bounds_are_enforced() {
        let deep: String = "a/".repeat(MAX_COMPONENTS);
        assert_eq!(depth(&deep, '/'), Ok(MAX_COMPONENTS));
        let deeper = deep + "a";
        assert_eq!(depth(&deeper, '/'), Err(PathError::TooDeep));
        let long = "x".repeat(MAX_PATH_BYTES + 1);
        assert_eq!(depth(&long, '/'), Err(PathError::TooLong));
        assert_eq!(depth(&long[1..], '/'), Ok(1));
    }

    #[test]
    fn check_agrees_with_depth() {
        let at = "a/".repeat(MAX_COMPONENTS);
        let past = at.clone() + "a";
        for p in [
            "",
            "/",
            "a",
            "//a//b/",
            &at,
            &past,
            &"x".repeat(MAX_PATH_BYTES + 1),
        ] {
            assert_eq!(check(p, '/'), depth(p, '/').map(drop), "{}", p.len());
            if !p.is_empty() && p != "/" {
                let known = check_known_nonempty(p, '/');
                assert_eq!(known, depth(p, '/').map(drop), "{}", p.len());
            }
        }
    }

    #[test]
    fn unicode_separator_and_names() {
        let c: Vec<_> = components("é→ü→ß", '→').collect();
        assert_eq!(c, ["é", "ü", "ß"]);
    }
}
