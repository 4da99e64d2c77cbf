package hdf5

import (
	"container/list"
	"sync"
)

// lru is a cache bounded in bytes that drops the least recently used
// entries first. It is safe for concurrent use.
type lru[K comparable, V any] struct {
	mu    sync.Mutex
	max   int64
	used  int64
	order list.List // front: most recently used
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key  K
	val  V
	size int64
}

func newLRU[K comparable, V any](max int64) *lru[K, V] {
	return &lru[K, V]{max: max, items: map[K]*list.Element{}}
}

func (c *lru[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[K, V]).val, true
}

// put stores v, which takes size bytes; a value larger than the whole
// cache is not kept.
func (c *lru[K, V]) put(k K, v V, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.max {
		return
	}
	if e, ok := c.items[k]; ok {
		c.used -= e.Value.(*lruEntry[K, V]).size
		c.order.Remove(e)
	}
	c.items[k] = c.order.PushFront(&lruEntry[K, V]{k, v, size})
	c.used += size
	c.evict()
}

func (c *lru[K, V]) resize(max int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
	c.evict()
}

func (c *lru[K, V]) evict() {
	for c.used > c.max {
		e := c.order.Back()
		ent := e.Value.(*lruEntry[K, V])
		c.order.Remove(e)
		delete(c.items, ent.key)
		c.used -= ent.size
	}
}

// chunkKey names a decoded chunk: the dataset's object header and the
// chunk's address.
type chunkKey struct{ dataset, chunk uint64 }

type chunkCache = lru[chunkKey, []byte]

func newChunkCache(max int64) *chunkCache { return newLRU[chunkKey, []byte](max) }

// metaKey names a decoded metadata block: its address and what kind of
// block it was decoded as (a hostile file may point two structures at
// the same bytes).
type metaKey struct {
	addr uint64
	kind string
}

type metaCache = lru[metaKey, any]

func newMetaCache(max int64) *metaCache { return newLRU[metaKey, any](max) }

// cached returns the block of kind at addr from the metadata cache, or
// decodes it with load and keeps it.
func cached[T any](f *File, addr uint64, kind string, load func() (T, int64, error)) (T, error) {
	key := metaKey{addr, kind}
	if v, ok := f.meta.get(key); ok {
		if t, ok := v.(T); ok {
			return t, nil
		}
	}
	t, size, err := load()
	if err != nil {
		return t, err
	}
	f.meta.put(key, t, size)
	return t, nil
}
