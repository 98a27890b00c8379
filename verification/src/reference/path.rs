//! Paths as the specification defines them (`docs/semantics.md`, Vocabulary
//! and Bad input): split on the separator, empty components dropped, bounded
//! in bytes and in components.

use hilok::{Error, PathError};

/// The most components a path may have (the documented bound).
pub const MAX_COMPONENTS: usize = 1024;

/// The most bytes a path may have, separators included.
pub const MAX_PATH_BYTES: usize = 65_536;

/// A valid path: its non-empty components, root first.
pub type Components = Vec<String>;

/// Splits `path` on `sep`, or says why it is invalid. Too many bytes is
/// checked first, then no component, then too many components.
pub fn parse(path: &str, sep: char) -> Result<Components, Error> {
    if path.len() > MAX_PATH_BYTES {
        return Err(Error::InvalidPath(PathError::TooLong));
    }
    let mut components = Components::new();
    for piece in path.split(sep) {
        if !piece.is_empty() {
            components.push(piece.to_string());
        }
    }
    if components.is_empty() {
        return Err(Error::InvalidPath(PathError::Empty));
    }
    if components.len() > MAX_COMPONENTS {
        return Err(Error::InvalidPath(PathError::TooDeep));
    }
    Ok(components)
}

/// Whether `prefix` is `path` or one of its ancestors.
pub fn is_prefix(prefix: &[String], path: &[String]) -> bool {
    path.len() >= prefix.len() && path[..prefix.len()] == *prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting_and_bounds() {
        assert_eq!(parse("//a//b/", '/').unwrap(), ["a", "b"]);
        assert_eq!(parse("a/b", ':').unwrap(), ["a/b"]);
        assert_eq!(parse("é→ü", '→').unwrap(), ["é", "ü"]);
        assert_eq!(parse("///", '/'), Err(Error::InvalidPath(PathError::Empty)));
        let deep = "a/".repeat(MAX_COMPONENTS);
        assert_eq!(parse(&deep, '/').unwrap().len(), MAX_COMPONENTS);
        assert_eq!(
            parse(&(deep + "a"), '/'),
            Err(Error::InvalidPath(PathError::TooDeep))
        );
        let long = "x".repeat(MAX_PATH_BYTES + 1);
        assert_eq!(
            parse(&long, '/'),
            Err(Error::InvalidPath(PathError::TooLong))
        );
        assert_eq!(parse(&long[1..], '/').unwrap().len(), 1);
    }
}
