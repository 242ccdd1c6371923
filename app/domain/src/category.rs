//! The category tree (Network › VPN): names and the paths shown for them.

/// Between the levels of a category path.
pub const SEPARATOR: &str = " › ";
pub const NAME_MAX_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryError {
    #[error("Please give the category a name.")]
    Empty,
    #[error("Please keep category names to {NAME_MAX_CHARS} characters or fewer.")]
    TooLong,
    #[error("Category names cannot contain \"›\" or control characters.")]
    BadCharacter,
}

/// Validates a name and returns the full path of the new node.
pub fn child_path(parent_path: Option<&str>, name: &str) -> Result<String, CategoryError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CategoryError::Empty);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(CategoryError::TooLong);
    }
    if name.contains('›') || name.chars().any(char::is_control) {
        return Err(CategoryError::BadCharacter);
    }
    Ok(match parent_path {
        Some(parent) => format!("{parent}{SEPARATOR}{name}"),
        None => name.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_the_levels() {
        assert_eq!(child_path(None, " Network "), Ok("Network".to_owned()));
        assert_eq!(
            child_path(Some("Network"), "VPN"),
            Ok("Network › VPN".to_owned())
        );
        assert_eq!(child_path(None, " "), Err(CategoryError::Empty));
        assert_eq!(child_path(None, "a › b"), Err(CategoryError::BadCharacter));
        assert_eq!(
            child_path(None, &"x".repeat(81)),
            Err(CategoryError::TooLong)
        );
    }
}
