package web

import (
	"bytes"
	"encoding/json"
	"strings"

	"zhengxie"
)

// encoding/json turns an escape of a lone UTF-16 surrogate ("\ud800") into
// U+FFFD without a word, so text that is not Unicode would be saved as "�".
// Raw invalid UTF-8 is refused before decoding; these escapes are refused
// after it, the same way, naming the field.

// checkSurrogates refuses a JSON text holding a \uD800–\uDFFF escape that
// is not half of a pair. It runs on a text that decoded without error.
func checkSurrogates(body []byte) error {
	bad := loneSurrogates(body)
	if bad < 0 {
		return nil
	}
	field := stringField(body, bad)
	if field == "" {
		return zhengxie.Errorf(zhengxie.EInvalid, "请求体包含无效的Unicode字符（不成对的代理项转义，如\\ud800）")
	}
	return &zhengxie.Error{Code: zhengxie.EInvalid, Field: field,
		Message: "字段“" + field + "”包含无效的Unicode字符（不成对的代理项转义，如\\ud800），请检查文字的编码"}
}

// loneSurrogates returns the index, counting every string literal of the
// text in order (object keys included), of the first one that holds a lone
// surrogate escape, or -1.
func loneSurrogates(b []byte) int {
	n := -1
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		n++
		for i++; i < len(b) && b[i] != '"'; i++ {
			if b[i] != '\\' {
				continue
			}
			i++
			if i >= len(b) || b[i] != 'u' {
				continue
			}
			r, ok := hex4(b, i+1)
			if !ok {
				continue
			}
			i += 4
			switch {
			case r >= 0xD800 && r <= 0xDBFF:
				if i+2 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
					if lo, ok := hex4(b, i+3); ok && lo >= 0xDC00 && lo <= 0xDFFF {
						i += 6
						continue
					}
				}
				return n
			case r >= 0xDC00 && r <= 0xDFFF:
				return n
			}
		}
	}
	return -1
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// stringField names the field of the target-th string literal of a JSON
// text as encoding/json names fields in its errors: the object keys from
// the root, joined by dots, array positions left out ("assignments.kind").
// A key is named by its object. The top-level value has no name ("").
func stringField(body []byte, target int) string {
	type frame struct {
		obj       bool
		key       string
		expectKey bool
	}
	var stack []frame
	path := func(withTop bool) string {
		var keys []string
		for i, f := range stack {
			if f.obj && (withTop || i < len(stack)-1) && f.key != "" {
				keys = append(keys, f.key)
			}
		}
		return strings.Join(keys, ".")
	}
	valueDone := func() {
		if len(stack) > 0 && stack[len(stack)-1].obj {
			stack[len(stack)-1].expectKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	n := -1
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{obj: true, expectKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			n++
			if len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].expectKey {
				if n == target {
					return path(false)
				}
				stack[len(stack)-1].key, stack[len(stack)-1].expectKey = v, false
				continue
			}
			if n == target {
				return path(true)
			}
			valueDone()
		default:
			valueDone()
		}
	}
}
