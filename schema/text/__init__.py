"""Text tools shared by assembly, checks and analyses: the jieba segmenter, one edit distance."""
