using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Screening.Web.Letters;

/// <summary>
/// Lays a letter's text out on A4 pages: a line beginning <c># </c> is the title, <c>## </c> a heading, <c>- </c>
/// an item of a list, an empty line a gap; every other line is a paragraph, wrapped at word boundaries (a word
/// longer than a line is cut), and a new page starts where the last one is full. Each page carries its number.
/// </summary>
public static class LetterPdf
{
    private const double Margin = 56;
    private const double BodySize = 10.5;

    public static byte[] Render(string text, string title, string footer)
    {
        LetterFonts.Install();
        using var document = new PdfDocument();
        // Most of a letter's making was deflating its embedded font subset at the default level; the fastest level
        // makes the file a little larger and takes a fraction of the time.
        document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        document.Info.Title = title;
        document.Info.Creator = "Screening";
        var fonts = new Fonts(
            new XFont(LetterFonts.Family, 16, XFontStyleEx.Bold),
            new XFont(LetterFonts.Family, 12, XFontStyleEx.Bold),
            new XFont(LetterFonts.Family, BodySize, XFontStyleEx.Regular),
            new XFont(LetterFonts.Family, 8, XFontStyleEx.Regular));
        var writer = new PageWriter(document, fonts, footer);
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                writer.Gap(BodySize * 0.6);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                writer.Paragraph(line[2..].Trim(), fonts.Title, 0);
                writer.Gap(6);
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                writer.Gap(4);
                writer.Paragraph(line[3..].Trim(), fonts.Heading, 0);
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                writer.Paragraph(line[2..].Trim(), fonts.Body, 14, bullet: true);
            }
            else
            {
                writer.Paragraph(line.Trim(), fonts.Body, 0);
            }
        }

        writer.Finish();
        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    private sealed record Fonts(XFont Title, XFont Heading, XFont Body, XFont Footer);

    private sealed class PageWriter(PdfDocument document, Fonts fonts, string footer)
    {
        private PdfPage? _page;
        private XGraphics? _graphics;
        private double _y;

        private double Width => (_page?.Width.Point ?? 595) - (2 * Margin);

        private double Bottom => (_page?.Height.Point ?? 842) - Margin - 20;

        public void Gap(double height)
        {
            if (_graphics is not null)
            {
                _y += height;
            }
        }

        public void Paragraph(string text, XFont font, double indent, bool bullet = false)
        {
            var graphics = Graphics();
            var lineHeight = font.GetHeight() * 1.25;
            var first = true;
            foreach (var line in Wrap(graphics, text, font, Width - indent))
            {
                if (_y + lineHeight > Bottom)
                {
                    NewPage();
                    graphics = _graphics!;
                }

                if (bullet && first)
                {
                    graphics.DrawString("•", font, XBrushes.Black, new XPoint(Margin + indent - 10, _y), XStringFormats.TopLeft);
                }

                graphics.DrawString(line, font, XBrushes.Black, new XPoint(Margin + indent, _y), XStringFormats.TopLeft);
                _y += lineHeight;
                first = false;
            }
        }

        public void Finish()
        {
            Graphics();
            _graphics?.Dispose();
            var pages = document.PageCount;
            for (var i = 0; i < pages; i++)
            {
                var page = document.Pages[i];
                using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var text = $"{footer} · {i + 1}/{pages}";
                graphics.DrawString(text, fonts.Footer, XBrushes.Gray, new XPoint(Margin, page.Height.Point - Margin), XStringFormats.TopLeft);
            }
        }

        private XGraphics Graphics()
        {
            if (_graphics is null)
            {
                NewPage();
            }

            return _graphics!;
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private static IEnumerable<string> Wrap(XGraphics graphics, string text, XFont font, double width)
        {
            var line = string.Empty;
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (graphics.MeasureString(candidate, font).Width <= width)
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                {
                    yield return line;
                }

                // A word wider than the line (a long reference, a URL) is cut where it must be.
                var rest = word;
                while (graphics.MeasureString(rest, font).Width > width && rest.Length > 1)
                {
                    var take = rest.Length - 1;
                    while (take > 1 && graphics.MeasureString(rest[..take], font).Width > width)
                    {
                        take--;
                    }

                    yield return rest[..take];
                    rest = rest[take..];
                }

                line = rest;
            }

            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
