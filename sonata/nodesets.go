package sonata

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Selection is a set of nodes: the ids chosen in each population,
// ascending. Populations with no node chosen are left out.
type Selection map[string][]uint64

// NodeSet returns the nodes of the node set called name in the
// simulation's node sets file. A basic node set chooses the nodes that
// match every one of its rules: "population" (a name or a list),
// "node_id" (an id or a list), or an attribute with a value, a list of
// values (any may match), or an operator: {"$regex": "…"} (the whole
// value must match) or {"$gt"|"$gte"|"$lt"|"$lte": number}. A compound
// node set, a list of node set names, chooses the nodes any of them does.
func (s *Simulation) NodeSet(name string) (Selection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.NodeSetsFile == "" {
		return nil, fmt.Errorf("%s: no node_sets_file, so no node set %q", s.Config, name)
	}
	if s.nodeSets == nil {
		data, err := readLimited(s.NodeSetsFile, MaxNodeSetsSize)
		if err != nil {
			return nil, err
		}
		ns, err := parseNodeSets(s.NodeSetsFile, data)
		if err != nil {
			return nil, err
		}
		s.nodeSets = ns
	}
	basics, err := s.nodeSets.resolve(name)
	if err != nil {
		return nil, err
	}
	sel := Selection{}
	for _, p := range s.Populations {
		var rules []*basicSet
		for _, b := range basics {
			if b.mayHold(p.Name) {
				rules = append(rules, b)
			}
		}
		if len(rules) == 0 {
			continue
		}
		nodes, err := s.nodesLocked(p.Name)
		if err != nil {
			return nil, err
		}
		var ids []uint64
		for i := range nodes {
			for _, b := range rules {
				if b.match(&nodes[i]) {
					ids = append(ids, nodes[i].ID)
					break
				}
			}
		}
		if len(ids) > 0 {
			slices.Sort(ids)
			sel[p.Name] = ids
		}
	}
	return sel, nil
}

// nodeSets is a node sets file.
type nodeSets struct {
	path string
	sets map[string]any
}

func parseNodeSets(path string, data []byte) (*nodeSets, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sets, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: node sets are a JSON object, not %s", path, jsonKind(v))
	}
	return &nodeSets{path: path, sets: sets}, nil
}

// resolve returns the basic node sets that make up the node set called
// name, each once.
func (ns *nodeSets) resolve(name string) ([]*basicSet, error) {
	var out []*basicSet
	const visiting, done = 1, 2
	state := map[string]int{}
	var visit func(name string, chain []string) error
	visit = func(name string, chain []string) error {
		switch state[name] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("%s: node set %q contains itself (%s → %s)", ns.path, name, strings.Join(chain, " → "), name)
		}
		if len(chain) > MaxNodeSetDepth {
			return fmt.Errorf("%s: node sets nest more than %d deep (%s …)", ns.path, MaxNodeSetDepth, strings.Join(chain[:3], " → "))
		}
		v, ok := ns.sets[name]
		if !ok {
			if len(chain) == 0 {
				return fmt.Errorf("%s: no node set %q", ns.path, name)
			}
			return fmt.Errorf("%s: node set %q names %q, which is not a node set", ns.path, chain[len(chain)-1], name)
		}
		state[name] = visiting
		switch v := v.(type) {
		case []any:
			for i, e := range v {
				sub, ok := e.(string)
				if !ok {
					return fmt.Errorf("%s: node set %q: element %d is %s, want a node set name", ns.path, name, i, jsonKind(e))
				}
				if err := visit(sub, append(chain, name)); err != nil {
					return err
				}
			}
		case map[string]any:
			b, err := compileBasic(v)
			if err != nil {
				return fmt.Errorf("%s: node set %q: %w", ns.path, name, err)
			}
			out = append(out, b)
		default:
			return fmt.Errorf("%s: node set %q is %s, want an object of rules or a list of names", ns.path, name, jsonKind(v))
		}
		state[name] = done
		return nil
	}
	if err := visit(name, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// basicSet is a basic node set: rules a node must all match.
type basicSet struct {
	rules []rule
}

// rule is one rule of a basic node set.
type rule struct {
	attr  string
	pops  map[string]bool  // "population"
	ids   map[uint64]bool  // "node_id"
	texts map[string]bool  // attribute values given as text
	nums  map[float64]bool // attribute values given as numbers (or booleans)
	re    *regexp.Regexp
	op    string // "$gt", "$gte", "$lt", "$lte"
	bound float64
}

func compileBasic(m map[string]any) (*basicSet, error) {
	b := &basicSet{}
	for _, attr := range sortedKeys(m) {
		rs, err := compileRules(attr, m[attr])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", attr, err)
		}
		b.rules = append(b.rules, rs...)
	}
	return b, nil
}

func compileRules(attr string, v any) ([]rule, error) {
	if ops, ok := v.(map[string]any); ok && attr != "population" && attr != "node_id" {
		var out []rule
		for _, op := range sortedKeys(ops) {
			r := rule{attr: attr}
			switch op {
			case "$regex":
				s, ok := ops[op].(string)
				if !ok {
					return nil, fmt.Errorf("$regex wants a string, not %s", jsonKind(ops[op]))
				}
				re, err := regexp.Compile(`^(?:` + s + `)$`)
				if err != nil {
					return nil, err
				}
				r.re = re
			case "$gt", "$gte", "$lt", "$lte":
				n, ok := ops[op].(json.Number)
				if !ok {
					return nil, fmt.Errorf("%s wants a number, not %s", op, jsonKind(ops[op]))
				}
				f, err := n.Float64()
				if err != nil {
					return nil, fmt.Errorf("%s: number %s out of range", op, n)
				}
				r.op, r.bound = op, f
			default:
				return nil, fmt.Errorf("unknown operator %q (want $regex, $gt, $gte, $lt or $lte)", op)
			}
			out = append(out, r)
		}
		return out, nil
	}
	values, ok := v.([]any)
	if !ok {
		values = []any{v}
	}
	r := rule{attr: attr}
	switch attr {
	case "population":
		r.pops = map[string]bool{}
	case "node_id":
		r.ids = map[uint64]bool{}
	default:
		r.texts, r.nums = map[string]bool{}, map[float64]bool{}
	}
	for _, e := range values {
		switch e := e.(type) {
		case string:
			switch {
			case r.pops != nil:
				r.pops[e] = true
			case r.ids != nil:
				return nil, fmt.Errorf("node ids are numbers, not %q", e)
			default:
				r.texts[e] = true
			}
		case json.Number:
			switch {
			case r.pops != nil:
				return nil, fmt.Errorf("populations are names, not %s", e)
			case r.ids != nil:
				id, err := strconv.ParseUint(string(e), 10, 64)
				if err != nil {
					f, ferr := e.Float64()
					if ferr != nil || !(f >= 0 && f < 1<<63) || f != math.Trunc(f) {
						return nil, fmt.Errorf("node id %s is not a whole number ≥ 0", e)
					}
					id = uint64(f)
				}
				r.ids[id] = true
			default:
				f, err := e.Float64()
				if err != nil || math.IsInf(f, 0) {
					return nil, fmt.Errorf("number %s out of range", e)
				}
				r.nums[f] = true
			}
		case bool:
			if r.texts == nil {
				return nil, fmt.Errorf("want names or numbers, not %v", e)
			}
			r.nums[map[bool]float64{false: 0, true: 1}[e]] = true
		default:
			return nil, fmt.Errorf("want a value or a list of values, not %s", jsonKind(e))
		}
	}
	return []rule{r}, nil
}

// mayHold tells whether the set can hold nodes of population pop.
func (b *basicSet) mayHold(pop string) bool {
	for _, r := range b.rules {
		if r.pops != nil && !r.pops[pop] {
			return false
		}
	}
	return true
}

func (b *basicSet) match(n *Node) bool {
	for i := range b.rules {
		if !b.rules[i].match(n) {
			return false
		}
	}
	return true
}

func (r *rule) match(n *Node) bool {
	switch {
	case r.pops != nil:
		return r.pops[n.Population]
	case r.ids != nil:
		return r.ids[n.ID]
	}
	v, ok := n.Attr(r.attr)
	if !ok {
		return false
	}
	switch {
	case r.re != nil:
		return r.re.MatchString(v.Text)
	case r.op != "":
		if !v.IsNumber {
			return false
		}
		switch r.op {
		case "$gt":
			return v.Number > r.bound
		case "$gte":
			return v.Number >= r.bound
		case "$lt":
			return v.Number < r.bound
		}
		return v.Number <= r.bound
	}
	return r.texts[v.Text] || v.IsNumber && r.nums[v.Number]
}
