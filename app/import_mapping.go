package app

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"

	"zhengxie"
)

// The columns of an import: what a historical proposal can carry, the
// names its column may have in the files people bring, and the mapping an
// administrator gives for other headers.

// ImportField is one thing a historical proposal can carry, with the names
// its column may have.
type ImportField struct {
	Key     string // used in mapping files and on the command line, like the Chinese name
	Name    string // 案由, 正文 …
	Aliases []string
}

// ImportFields are the fields a mapping can fill. 案由 and 正文 are required.
var ImportFields = []ImportField{
	{"title", "案由", []string{"标题", "题目", "提案标题", "案题"}},
	{"body", "正文", []string{"内容", "提案内容", "提案正文"}},
	{"proposer", "提案人", []string{"提案者", "提出人", "领衔人", "提案单位"}},
	{"category", "类别", []string{"分类", "提案类别"}},
	{"number", "编号", []string{"提案编号", "案号", "提案号"}},
	{"date", "日期", []string{"提交日期", "提交时间", "提案日期", "时间"}},
	{"session", "届次", []string{"会议", "届次会议"}},
	{"year", "年份", []string{"年度"}},
	{"unit", "主办单位", []string{"承办单位"}},
}

func importField(name string) (ImportField, bool) {
	name = strings.TrimSpace(name)
	for _, f := range ImportFields {
		if strings.EqualFold(name, f.Key) || name == f.Name {
			return f, true
		}
	}
	return ImportField{}, false
}

// ParseMapping reads a mapping given on the command line:
// "案由=reason,正文=content,提案人=personnel_name" (field=column; fields by
// their Chinese name or key; commas, Chinese commas or semicolons between).
func ParseMapping(spec string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "对应关系“%s”应写成“字段=列名”，如“案由=reason”", part)
		}
		f, ok := importField(k)
		if !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "未知字段“%s”；可用字段：%s", strings.TrimSpace(k), fieldNames())
		}
		out[f.Key] = strings.TrimSpace(v)
	}
	return out, nil
}

// LoadMapping reads a mapping file: a JSON object from field to column,
// e.g. {"案由": "reason", "正文": "content"}.
func LoadMapping(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]string
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\ufeff")), &raw); err != nil {
		return nil, zhengxie.Errorf(zhengxie.EInvalid, "对应关系文件 %s 不是有效的 JSON 对象（形如 {\"案由\": \"reason\"}）：%v", path, err)
	}
	out := map[string]string{}
	for k, v := range raw {
		f, ok := importField(k)
		if !ok {
			return nil, zhengxie.Errorf(zhengxie.EInvalid, "对应关系文件中的未知字段“%s”；可用字段：%s", k, fieldNames())
		}
		out[f.Key] = strings.TrimSpace(v)
	}
	return out, nil
}

func fieldNames() string {
	var names []string
	for _, f := range ImportFields {
		names = append(names, f.Name+"("+f.Key+")")
	}
	return strings.Join(names, "、")
}
