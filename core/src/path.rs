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
pub fn components(path: &str, sep: char) -> impl Iterator<Item = &str> + Clone {
    path.split(sep).filter(|c| !c.is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

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
        }
    }

    #[test]
    fn unicode_separator_and_names() {
        let c: Vec<_> = components("é→ü→ß", '→').collect();
        assert_eq!(c, ["é", "ü", "ß"]);
    }
}
