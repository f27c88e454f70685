package server

import (
	"container/list"
	"sync"
)

// partCache holds rendered per-patient parts that are the same for every
// caller (the timeline JSON, the patient page's body below the header,
// the default figure SVG), least recently used first out, bounded by the
// bytes it holds. A key names the study, the patient, the part and the
// study's data version (migration 0004), which every import into the study
// raises in its own transaction and which the server reads with the
// caller's credentials: after an import, requests ask for a new key and
// the old entries age out. Nothing per caller (user name, CSRF token) is
// cached, and a lookup happens only after the route's role check, so a
// caller outside the study gets 404 before the cache is consulted.
type partCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // of *partEntry, most recently used first
	m     map[partKey]*list.Element
	hits  int64
	miss  int64
}

type partKey struct {
	study, patient, part string
	version              int64
}

type partEntry struct {
	key  partKey
	body []byte
	etag string
}

// partOverhead is counted per entry besides its bytes (key, list element,
// map slot), so many small entries are bounded too.
const partOverhead = 256

func newPartCache(max int64) *partCache {
	if max <= 0 {
		return nil
	}
	return &partCache{max: max, order: list.New(), m: map[partKey]*list.Element{}}
}

// cost counts the body's capacity, not its length: a buffer grown by
// doubling may hold up to twice its bytes, and the bound is on memory.
func (e *partEntry) cost() int64 {
	return int64(cap(e.body)+len(e.etag)+len(e.key.study)+len(e.key.patient)+len(e.key.part)) + partOverhead
}

// get returns the entry under k; the caller must not modify its bytes.
func (c *partCache) get(k partKey) (*partEntry, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[k]
	if !ok {
		c.miss++
		return nil, false
	}
	c.hits++
	c.order.MoveToFront(el)
	return el.Value.(*partEntry), true
}

// put stores e (its bytes are not copied: the caller gives them up) and
// evicts the least recently used entries beyond the bound; an entry larger
// than a quarter of the bound is not kept.
func (c *partCache) put(e *partEntry) {
	if c == nil || e.cost() > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[e.key]; ok {
		c.size -= el.Value.(*partEntry).cost()
		c.order.Remove(el)
	}
	c.m[e.key] = c.order.PushFront(e)
	c.size += e.cost()
	for c.size > c.max {
		el := c.order.Back()
		old := el.Value.(*partEntry)
		c.order.Remove(el)
		delete(c.m, old.key)
		c.size -= old.cost()
	}
}

// stats returns the bytes held, entries, hits and misses (for tests and
// the benchmark's notes).
func (c *partCache) stats() (size int64, entries int, hits, misses int64) {
	if c == nil {
		return 0, 0, 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, len(c.m), c.hits, c.miss
}

// cacheKey is the key of a part for this caller's view of study, and false
// when the data version is unknown (nothing is cached then).
func (s *Server) cacheKey(idn *identity, study, patient, part string) (partKey, bool) {
	if s.cache == nil || idn == nil || idn.versions == nil {
		return partKey{}, false
	}
	v, ok := idn.versions[study]
	if !ok {
		return partKey{}, false
	}
	return partKey{study: study, patient: patient, part: part, version: v}, true
}

// cacheGet is the cached entry under key when the request may use the
// cache at all (cacheable, from cacheKey and the request's options).
func (s *Server) cacheGet(key partKey, cacheable bool) (*partEntry, bool) {
	if !cacheable {
		return nil, false
	}
	return s.cache.get(key)
}
