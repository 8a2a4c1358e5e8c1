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

from ..text.token_batch import TokenBatch

__all__ = ["CharNgramTfidf", "WordNgramTfidf", "hashed_char_ngrams", "char_ngram_keys"]

_BITS = 21  # every Unicode code point fits in 21 bits, so three of them fit in one uint64 key
_WHITE_SPACES = re.compile(r"\s\s+")  # the same whitespace folding as scikit-learn's char analyzer
_SEPARATOR = "\ue000"  # private-use: folds whitespace of a whole batch in one regex call


class KeyIndex:
    """Positions of integer keys in a fixed key array (-1 where absent), fast for one petition and for a million.

    Large batches go through a hash index (``pandas.Index.get_indexer``); small ones through a binary search,
    which has none of pandas' fixed cost per call (about 0.1 ms, more than labelling one petition otherwise).
    """

    HASH_FROM = 4096

    def __init__(self, keys: np.ndarray) -> None:
        self._keys = keys
        self._index: pd.Index | None = None  # built on the first large lookup
        self._order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self._order]

    def __len__(self) -> int:
        return len(self.sorted_keys)

    def get(self, keys: np.ndarray) -> np.ndarray:
        if len(keys) >= self.HASH_FROM:
            if self._index is None:
                self._index = pd.Index(self._keys)
            return self._index.get_indexer(keys)
        if not len(self.sorted_keys):
            return np.full(len(keys), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.sorted_keys, keys), len(self.sorted_keys) - 1)
        return np.where(self.sorted_keys[at] == keys, self._order[at], -1)


def _finish(rows: np.ndarray, cols: np.ndarray, n_docs: int, idf: np.ndarray, sublinear: bool = True) -> sp.csr_matrix:
    """Counts → sublinear tf × idf → L2-normalised rows, built straight into CSR arrays.

    Going through scipy's COO conversion and scikit-learn's ``normalize`` costs more in fixed overhead than
    the arithmetic when one petition is labelled at a time; an in-place sort of packed keys beats ``np.unique``
    several times over on large batches.
    """
    n_features = len(idf)
    keys = rows.astype(np.int64) * n_features + cols
    keys.sort()
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(keys)))
    row_of, col_of = np.divmod(keys[starts], n_features)
    data = ((np.log(counts) + 1.0) if sublinear else counts.astype(np.float64)) * idf[col_of]
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_docs))
    data /= norms[row_of]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=n_docs))])
    return sp.csr_matrix((data.astype(np.float32), col_of.astype(np.int32), indptr.astype(np.int32)),
                         shape=(n_docs, n_features))


class _CodePoints:
    """The code points of a batch of documents, with each one's document and the characters left in it."""

    def __init__(self, docs: list[str]) -> None:
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        self.codes = np.frombuffer("".join(docs).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        self.doc_of = np.repeat(np.arange(len(docs)), lengths)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        self.remaining = lengths[self.doc_of] - (np.arange(len(self.codes)) - offsets[self.doc_of])

    def ngrams(self, n: int, starts: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(row, key) of the n-grams starting at ``starts`` (default: everywhere), code points packed in a key."""
        valid = np.flatnonzero(self.remaining >= n) if starts is None else starts[self.remaining[starts] >= n]
        key = self.codes[valid].copy()
        for k in range(1, n):
            key = (key << np.uint64(_BITS)) | self.codes[valid + k]
        return self.doc_of[valid], key


def char_ngram_keys(docs: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) for every character n-gram of every document, the n code points packed into one integer."""
    return _CodePoints(docs).ngrams(n)


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
    """Character n-gram TF-IDF (n up to 3) for a fixed vocabulary and idf vector.

    Single characters are found in a table indexed by code point; longer n-grams in a hash index, and an
    n-gram is only looked up where its first n-1 characters start some vocabulary n-gram (most do not).
    """

    def __init__(self, vocabulary: list[str], idf: np.ndarray, ngram_range: tuple[int, int]) -> None:
        low, high = ngram_range
        if high > 3:
            raise ValueError(f"the fast character transform supports n-grams up to 3, got {ngram_range}")
        self.ngram_range = (low, high)
        self.idf = np.asarray(idf)
        by_length: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n in range(1, high + 1):
            index = np.array([i for i, term in enumerate(vocabulary) if len(term) == n and n >= low], dtype=np.int64)
            keys = np.array([self._key(vocabulary[i]) for i in index], dtype=np.uint64)
            by_length[n] = (keys, index)
        # Longer n-grams: one hash index per length over the vocabulary n-grams and the prefixes of n+1-grams.
        self._tables: dict[int, tuple[KeyIndex, np.ndarray, np.ndarray]] = {}
        for n in range(2, high + 1):
            keys, index = by_length[n]
            longer = by_length[n + 1][0] >> np.uint64(_BITS) if n + 1 in by_length else np.zeros(0, np.uint64)
            all_keys = np.unique(np.concatenate([keys, longer]))
            feature = np.full(len(all_keys), -1, dtype=np.int64)
            feature[np.searchsorted(all_keys, keys)] = index
            self._tables[n] = (KeyIndex(all_keys), feature, np.isin(all_keys, longer))
        # Single characters: the feature of each code point (-1: none) and whether it starts a longer n-gram,
        # as tables over all of Unicode (4 MB) so that a lookup needs no bounds check.
        unigram_keys, unigram_index = by_length[1]
        self._unigram = np.full(0x110000, -1, dtype=np.int32)
        self._unigram[unigram_keys.astype(np.int64)] = unigram_index
        self._starts_longer = np.zeros(0x110000, dtype=bool)
        if 2 in self._tables:
            self._starts_longer[(self._tables[2][0].sorted_keys >> np.uint64(_BITS)).astype(np.int64)] = True

    @staticmethod
    def _key(term: str) -> int:
        key = 0
        for ch in term:
            key = (key << _BITS) | ord(ch)
        return key

    def transform(self, docs: list[str]) -> sp.csr_matrix:
        if any(_SEPARATOR in d for d in docs):
            docs = [d.replace(_SEPARATOR, "\ue001") for d in docs]  # another character that is in no vocabulary
        # The documents joined by a separator that no vocabulary n-gram contains: an n-gram across two documents
        # is simply not found, so no per-document bounds are needed. Two more at the end keep every n-gram in range.
        joined = _WHITE_SPACES.sub(" ", _SEPARATOR.join(docs)) + _SEPARATOR * 2
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        doc_of = np.cumsum(codes == ord(_SEPARATOR), dtype=np.int32)
        low, high = self.ngram_range
        rows, cols = [], []
        if low == 1:
            feature = self._unigram[codes]
            hit = np.flatnonzero(feature >= 0)
            rows.append(doc_of[hit])
            cols.append(feature[hit])
        # Positions where an n-gram may start: those whose (n-1)-gram starts a longer vocabulary n-gram.
        candidates = np.flatnonzero(self._starts_longer[codes])
        key = codes[candidates].astype(np.uint64)
        for n in range(2, high + 1):
            key = (key << np.uint64(_BITS)) | codes[candidates + (n - 1)]
            table, feature, prefix = self._tables[n]
            slot = table.get(key)
            found = slot >= 0
            feature_of = np.where(found, feature[np.where(found, slot, 0)], -1)
            hit = feature_of >= 0
            rows.append(doc_of[candidates[hit]])
            cols.append(feature_of[hit])
            if n < high:
                longer = found & prefix[np.where(found, slot, 0)]
                candidates, key = candidates[longer], key[longer]
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
        self._bigram_keys = KeyIndex(np.asarray(bigram_keys, dtype=np.int64))
        self._bigram_index = np.asarray(bigram_index, dtype=np.int64)

    def transform(self, docs: TokenBatch | list[list[str]]) -> sp.csr_matrix:
        batch = docs if isinstance(docs, TokenBatch) else TokenBatch.from_lists(docs)
        # One hash lookup per distinct token, spread to every occurrence.
        if len(batch.codes):
            if len(batch.uniques) >= KeyIndex.HASH_FROM:
                ids = self._token_index.get_indexer(batch.uniques).astype(np.int64)[batch.codes]
            else:
                get = self._token_ids.get
                ids = np.fromiter((get(u, -1) for u in batch.uniques), dtype=np.int64, count=len(batch.uniques))[batch.codes]
        else:
            ids = np.zeros(0, dtype=np.int64)
        doc_of = batch.doc_of
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
            slot = self._bigram_keys.get(key)
            hit = slot >= 0
            rows.append(doc_of[first[hit]])
            cols.append(self._bigram_index[slot[hit]])
        if not rows:
            return sp.csr_matrix((batch.n_docs, len(self.idf)), dtype=np.float32)
        return _finish(np.concatenate(rows), np.concatenate(cols), batch.n_docs, self.idf)
