package search

import (
	"math"
	"sort"
	"sync"
)

// Suggestion is a label (a category, a handling unit) proposed for a text,
// with a confidence between 0 and 1; the confidences of all labels sum to 1.
type Suggestion struct {
	Label      string
	Confidence float64
}

// DefaultTemperature spreads the cosine similarities into confidences. At
// 0.02 the mean confidence of the first suggestion is close to how often it
// is right on the real data (TestClassifier logs both), so "70%" means about
// that. Cosines to centroids are small numbers close together, hence the
// low temperature.
const DefaultTemperature = 0.02

// Classifier suggests labels learned from past decisions: each label is the
// centroid of the TF-IDF vectors of its texts, and a text goes to the labels
// whose centroids it is most similar to (cosine). In 5-fold cross-validation
// on the real proposals and citizen messages, centroids and complement naive
// Bayes tied (top-1 0.69 and 0.68 on 14 proposal categories, 0.83 and 0.82
// on 7 message classes) ahead of multinomial naive Bayes (0.68, 0.77);
// centroids won on top-3 and give similarities that make a usable
// confidence. TestClassifier logs all three on its fixed split.
//
// Training is incremental: Add a decision when the office makes it, Remove
// it when the decision is undone. IDF is applied when predicting, so earlier
// texts are weighed by today's collection. Safe for concurrent use.
type Classifier struct {
	// Temperature of the softmax turning similarities into confidences;
	// DefaultTemperature when 0.
	Temperature float64

	mu    sync.RWMutex
	df    *DocFreq
	sums  map[string]map[string]float64 // label → term → Σ of texts' unit vectors (before IDF)
	count map[string]int
	norms map[string]float64 // cached centroid lengths with IDF; nil when stale
}

// NewClassifier returns an untrained classifier.
func NewClassifier() *Classifier {
	return &Classifier{df: NewDocFreq(), sums: map[string]map[string]float64{}, count: map[string]int{}}
}

// unitLogTF is the text's vector of 1 + ln tf, scaled to length 1 so that a
// long text counts as much as a short one.
func unitLogTF(tokens []string) map[string]float64 {
	tf := map[string]float64{}
	for _, t := range tokens {
		if !isNumeral(t) {
			tf[t]++
		}
	}
	n := 0.0
	for t, c := range tf {
		w := 1 + math.Log(c)
		tf[t] = w
		n += w * w
	}
	n = math.Sqrt(n)
	for t := range tf {
		tf[t] /= n
	}
	return tf
}

// Add learns that a text (its tokens) received label.
func (c *Classifier) Add(tokens []string, label string) {
	v := unitLogTF(tokens)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.df.Add(tokens)
	s := c.sums[label]
	if s == nil {
		s = map[string]float64{}
		c.sums[label] = s
	}
	for t, w := range v {
		s[t] += w
	}
	c.count[label]++
	c.norms = nil
}

// Remove unlearns a text added before with the same tokens and label.
func (c *Classifier) Remove(tokens []string, label string) {
	v := unitLogTF(tokens)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count[label] == 0 {
		return
	}
	c.df.Remove(tokens)
	c.count[label]--
	if c.count[label] == 0 {
		delete(c.count, label)
		delete(c.sums, label)
	} else {
		s := c.sums[label]
		for t, w := range v {
			// Floating-point sums do not return to exactly zero.
			if s[t] -= w; s[t] < 1e-9 {
				delete(s, t)
			}
		}
	}
	c.norms = nil
}

// Len returns the number of texts learned.
func (c *Classifier) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.df.N
}

// Labels returns the known labels, sorted.
func (c *Classifier) Labels() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.count))
	for l := range c.count {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Predict returns the k most likely labels for a text, most likely first
// (ties by label). Nil before anything was learned.
func (c *Classifier) Predict(tokens []string, k int) []Suggestion {
	q := unitLogTF(tokens)
	c.mu.RLock()
	stale := c.norms == nil
	c.mu.RUnlock()
	if stale {
		c.refreshNorms()
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	norms := c.norms
	if norms == nil {
		// Changed again in between: a few labels scored 0 would be wrong,
		// so compute the lengths for this call.
		norms = c.computeNorms()
	}
	if len(c.sums) == 0 || k <= 0 {
		return nil
	}
	qn := 0.0
	for t, w := range q {
		w *= c.df.IDF(t)
		q[t] = w
		qn += w * w
	}
	qn = math.Sqrt(qn)
	temp := c.Temperature
	if temp <= 0 {
		temp = DefaultTemperature
	}
	out := make([]Suggestion, 0, len(c.sums))
	for label, s := range c.sums {
		dot := 0.0
		for t, w := range q {
			if v, ok := s[t]; ok {
				dot += w * v * c.df.IDF(t)
			}
		}
		cos := 0.0
		if n := norms[label]; n > 0 && qn > 0 {
			cos = dot / (n * qn)
		}
		out = append(out, Suggestion{label, cos})
	}
	// Softmax over all labels, shifted by the maximum for stability.
	top := math.Inf(-1)
	for _, s := range out {
		top = math.Max(top, s.Confidence)
	}
	sum := 0.0
	for i := range out {
		out[i].Confidence = math.Exp((out[i].Confidence - top) / temp)
		sum += out[i].Confidence
	}
	for i := range out {
		out[i].Confidence /= sum
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Confidence != out[j].Confidence {
			return out[i].Confidence > out[j].Confidence
		}
		return out[i].Label < out[j].Label
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// refreshNorms computes the centroids' lengths under the current IDF once
// after each change, not on every prediction.
func (c *Classifier) refreshNorms() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.norms == nil {
		c.norms = c.computeNorms()
	}
}

func (c *Classifier) computeNorms() map[string]float64 {
	norms := make(map[string]float64, len(c.sums))
	for label, s := range c.sums {
		n := 0.0
		for t, v := range s {
			w := v * c.df.IDF(t)
			n += w * w
		}
		norms[label] = math.Sqrt(n)
	}
	return norms
}
