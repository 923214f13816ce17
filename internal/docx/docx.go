// Package docx writes simple Word documents (Office Open XML, .docx): a
// title, headings and paragraphs on A4 in the fonts of Chinese official
// documents. A .docx is a zip of a few XML parts; writing them with
// archive/zip and encoding/xml keeps the binary free of office software and
// of a large dependency for the little a report needs.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"time"
)

type kind int

const (
	kindTitle kind = iota
	kindSubtitle
	kindHeading
	kindPara
)

type para struct {
	kind kind
	text string
}

// Document is a document being built.
type Document struct {
	Title   string // document properties
	Author  string
	Created time.Time
	paras   []para
}

// AddTitle adds the centred title.
func (d *Document) AddTitle(s string) { d.paras = append(d.paras, para{kindTitle, s}) }

// AddSubtitle adds a centred line under the title (date, author).
func (d *Document) AddSubtitle(s string) { d.paras = append(d.paras, para{kindSubtitle, s}) }

// AddHeading adds a chapter heading.
func (d *Document) AddHeading(s string) { d.paras = append(d.paras, para{kindHeading, s}) }

// AddParagraph adds body text; each line becomes its own paragraph.
func (d *Document) AddParagraph(s string) {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			d.paras = append(d.paras, para{kindPara, line})
		}
	}
}

func esc(s string) string {
	var b bytes.Buffer
	// Characters XML 1.0 cannot carry are dropped rather than breaking the file.
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`

const docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`

// Styles: 仿宋 三号 (16 pt) body with a two-character first-line indent and
// 28 pt line spacing, 黑体 headings, 小标宋-like title (宋体 bold 二号), as
// official reports are set. Fonts missing on a machine fall back in Word.
const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:before="240" w:after="240" w:line="700" w:lineRule="exact"/></w:pPr><w:rPr><w:rFonts w:eastAsia="宋体"/><w:b/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
</w:styles>`

// WriteTo writes the .docx.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	z := zip.NewWriter(cw)
	created := d.Created
	if created.IsZero() {
		created = time.Now()
	}
	core := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>` + esc(d.Title) + `</dc:title><dc:creator>` + esc(d.Author) + `</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">` + created.UTC().Format(time.RFC3339) + `</dcterms:created></cp:coreProperties>`
	var body strings.Builder
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range d.paras {
		style := ""
		switch p.kind {
		case kindTitle:
			style = "Title"
		case kindSubtitle:
			style = "Subtitle"
		case kindHeading:
			style = "Heading1"
		}
		body.WriteString(`<w:p>`)
		if style != "" {
			body.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
		}
		body.WriteString(`<w:r><w:t xml:space="preserve">` + esc(p.text) + `</w:t></w:r></w:p>`)
	}
	// A4 portrait, the margins of official documents (37/35/28/26 mm).
	body.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`)
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", core},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", styles},
		{"word/document.xml", body.String()},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: created})
		if err != nil {
			return cw.n, err
		}
		if _, err := io.WriteString(f, p.data); err != nil {
			return cw.n, err
		}
	}
	err := z.Close()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Text reads the paragraphs' text back from a .docx written by anyone: the
// w:t runs of word/document.xml, one line per paragraph. Tests and the
// import of edited reports use it.
func Text(r io.ReaderAt, size int64) (string, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "", err
	}
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		dec := xml.NewDecoder(rc)
		var b strings.Builder
		inText := false
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				return b.String(), nil
			}
			if err != nil {
				return "", err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				inText = t.Name.Local == "t"
			case xml.EndElement:
				if t.Name.Local == "p" {
					b.WriteString("\n")
				}
				inText = false
			case xml.CharData:
				if inText {
					b.Write(t)
				}
			}
		}
	}
	return "", io.ErrUnexpectedEOF
}
