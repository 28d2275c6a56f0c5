//! What the order and customer columns do alike.

/// `list` reordered so that item `k` is the one that was at `from[k]`.
pub fn gathered<T: Copy>(list: &[T], from: &[u32]) -> Vec<T> {
    from.iter().map(|&i| list[i as usize]).collect()
}
