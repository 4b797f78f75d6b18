"""Chinese text, handled in one place: segmentation, document numbers (文号) and pinyin."""
