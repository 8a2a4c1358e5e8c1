"""Vectorised TF-IDF transform for a fixed vocabulary, equal to scikit-learn's ``TfidfVectorizer.transform``.

scikit-learn counts n-grams one by one in Python, which dominates labelling time. Here character n-grams are
packed into integer keys (21 bits per code point) and looked up in a hash index (``pandas.Index.get_indexer``,
about ten times faster than a binary search here) for a whole batch at once; word n-grams go through a token → id
table. The result (sublinear tf, idf, L2 norm) matches
``TfidfVectorizer(sublinear_tf=True)`` fitted with the same vocabulary; a test checks this.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["CharNgramTfidf", "WordNgramTfidf", "hashed_char_ngrams", "char_ngram_keys"]

_BITS = 21  # every Unicode code point fits in 21 bits, so three of them fit in one uint64 key
_WHITE_SPACES = re.compile(r"\s\s+")  # the same whitespace folding as scikit-learn's char analyzer
_SEPARATOR = "\ue000"  # private-use: folds whitespace of a whole batch in one regex call


def _finish(rows: np.ndarray, cols: np.ndarray, n_docs: int, idf: np.ndarray, sublinear: bool = True) -> sp.csr_matrix:
    """Counts → sublinear tf × idf → L2-normalised rows, built straight into CSR arrays.

    Going through scipy's COO conversion and scikit-learn's ``normalize`` costs more in fixed overhead than
    the arithmetic when one petition is labelled at a time.
    """
    n_features = len(idf)
    keys, counts = np.unique(rows.astype(np.int64) * n_features + cols, return_counts=True)
    row_of, col_of = np.divmod(keys, n_features)
    data = ((np.log(counts) + 1.0) if sublinear else counts.astype(np.float64)) * idf[col_of]
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_docs))
    data /= norms[row_of]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=n_docs))])
    return sp.csr_matrix((data.astype(np.float32), col_of.astype(np.int32), indptr.astype(np.int32)),
                         shape=(n_docs, n_features))


def char_ngram_keys(docs: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) for every character n-gram of every document, the n code points packed into one integer."""
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    codes = np.frombuffer("".join(docs).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc_of = np.repeat(np.arange(len(docs)), lengths)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    remaining = lengths[doc_of] - (np.arange(len(codes)) - offsets[doc_of])
    valid = np.nonzero(remaining >= n)[0]
    key = codes[valid].copy()
    for k in range(1, n):
        key = (key << np.uint64(_BITS)) | codes[valid + k]
    return doc_of[valid], key


def hashed_char_ngrams(docs: list[str], ngram_range: tuple[int, int], n_features: int = 2**20) -> sp.csr_matrix:
    """L2-normalised counts of hashed character n-grams: a vocabulary-free text vector, fast for whole batches.

    The same document always gives the same vector, whatever else is in the batch.
    """
    rows, cols = [], []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        row, key = char_ngram_keys(docs, n)
        # Fibonacci hashing: multiply by 2^64/φ and keep the top bits.
        hashed = (key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - int(np.log2(n_features)))
        rows.append(row)
        cols.append(hashed.astype(np.int64))
    return _finish(np.concatenate(rows), np.concatenate(cols), len(docs), np.ones(n_features), sublinear=False)


class CharNgramTfidf:
    """Character n-gram TF-IDF (n up to 3) for a fixed vocabulary and idf vector."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, ngram_range: tuple[int, int]) -> None:
        low, high = ngram_range
        if high > 3:
            raise ValueError(f"the fast character transform supports n-grams up to 3, got {ngram_range}")
        self.ngram_range = (low, high)
        self.idf = np.asarray(idf)
        self._tables: dict[int, tuple[pd.Index, np.ndarray]] = {}
        for n in range(low, high + 1):
            index = np.array([i for i, term in enumerate(vocabulary) if len(term) == n], dtype=np.int64)
            keys = np.array([self._key(vocabulary[i]) for i in index], dtype=np.uint64)
            self._tables[n] = (pd.Index(keys), index)

    @staticmethod
    def _key(term: str) -> int:
        key = 0
        for ch in term:
            key = (key << _BITS) | ord(ch)
        return key

    def transform(self, docs: list[str]) -> sp.csr_matrix:
        joined = _SEPARATOR.join(docs)
        folded = _WHITE_SPACES.sub(" ", joined).split(_SEPARATOR) if joined.count(_SEPARATOR) == len(docs) - 1 else None
        docs = folded if folded is not None and len(folded) == len(docs) else [_WHITE_SPACES.sub(" ", d) for d in docs]
        rows, cols = [], []
        for n, (keys, index) in self._tables.items():
            if len(keys) == 0:
                continue
            row, key = char_ngram_keys(docs, n)
            slot = keys.get_indexer(key)
            hit = slot >= 0
            rows.append(row[hit])
            cols.append(index[slot[hit]])
        if not rows:
            return sp.csr_matrix((len(docs), len(self.idf)), dtype=np.float32)
        return _finish(np.concatenate(rows), np.concatenate(cols), len(docs), self.idf)


class WordNgramTfidf:
    """Word n-gram TF-IDF (unigrams and bigrams) for a fixed vocabulary and idf vector."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, ngram_range: tuple[int, int]) -> None:
        low, high = ngram_range
        if high > 2:
            raise ValueError(f"the fast word transform supports n-grams up to 2, got {ngram_range}")
        self.ngram_range = (low, high)
        self.idf = np.asarray(idf)
        tokens: dict[str, int] = {}
        for term in vocabulary:
            for token in term.split(" "):
                tokens.setdefault(token, len(tokens))
        self._token_ids = tokens
        self._token_index = pd.Index(list(tokens))
        self._unigrams = np.full(len(tokens), -1, dtype=np.int64)
        bigram_keys, bigram_index = [], []
        for i, term in enumerate(vocabulary):
            parts = term.split(" ")
            if len(parts) == 1:
                self._unigrams[tokens[parts[0]]] = i
            else:
                bigram_keys.append(tokens[parts[0]] * len(tokens) + tokens[parts[1]])
                bigram_index.append(i)
        self._bigram_keys = pd.Index(np.asarray(bigram_keys, dtype=np.int64))
        self._bigram_index = np.asarray(bigram_index, dtype=np.int64)

    def transform(self, docs: list[list[str]]) -> sp.csr_matrix:
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        flat = [token for doc in docs for token in doc]
        # One hash lookup in C for the whole batch instead of a dictionary lookup per token in Python.
        ids = self._token_index.get_indexer(flat).astype(np.int64) if flat else np.zeros(0, dtype=np.int64)
        doc_of = np.repeat(np.arange(len(docs)), lengths)
        rows, cols = [], []
        low, high = self.ngram_range
        if low == 1:
            known = ids >= 0
            feature = np.where(known, self._unigrams[np.where(known, ids, 0)], -1)
            hit = feature >= 0
            rows.append(doc_of[hit])
            cols.append(feature[hit])
        if high == 2 and len(self._bigram_keys) and len(ids) > 1:
            same_doc = doc_of[:-1] == doc_of[1:]
            both_known = (ids[:-1] >= 0) & (ids[1:] >= 0) & same_doc
            first = np.nonzero(both_known)[0]
            key = ids[first] * len(self._token_ids) + ids[first + 1]
            slot = self._bigram_keys.get_indexer(key)
            hit = slot >= 0
            rows.append(doc_of[first[hit]])
            cols.append(self._bigram_index[slot[hit]])
        if not rows:
            return sp.csr_matrix((len(docs), len(self.idf)), dtype=np.float32)
        return _finish(np.concatenate(rows), np.concatenate(cols), len(docs), self.idf)
