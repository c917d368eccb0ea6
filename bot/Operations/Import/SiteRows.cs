using System.Xml;
using System.Xml.Linq;
using Sylvan.Data.Csv;

namespace Rollout.Bot.Operations.Import;

/// <summary>One line of a site import, as read: nothing checked yet except the shape of the file.</summary>
public sealed record SiteRow(int Line, string Name, string? Stack, string? AdminUser, string? AdminEmail, IReadOnlyList<string> Components,
    string? Level, string? Tz);

/// <summary>Reads the two site formats: the registry CSV (the same columns <c>export registry</c> writes) and GOCDB's site list XML.</summary>
public static class SiteRows
{
    public static readonly string[] Required = ["name", "stack", "admin_user", "admin_email", "components"];
    public static readonly string[] Optional = ["level", "tz"];

    public static (List<SiteRow> Rows, List<string> Errors) ReadCsv(TextReader text)
    {
        var rows = new List<SiteRow>();
        var errors = new List<string>();
        var options = new CsvDataReaderOptions { Delimiter = ',', HeaderComparer = StringComparer.OrdinalIgnoreCase };
        using var csv = CsvDataReader.Create(text, options);
        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim().ToLowerInvariant()).ToList();
        if (header.All(h => h.Length == 0))
        {
            errors.Add("line 1: the file is empty; the first line names the columns: " + string.Join(",", Required) + "[,level,tz]");
            return (rows, errors);
        }
        var missing = Required.Where(r => !header.Contains(r)).ToList();
        var unknown = header.Where(h => !Required.Contains(h) && !Optional.Contains(h)).ToList();
        if (missing.Count > 0) errors.Add($"line 1: the header lacks {string.Join(", ", missing)}; it must name {string.Join(",", Required)} (optional: level, tz)");
        if (unknown.Count > 0) errors.Add($"line 1: unknown column(s) {string.Join(", ", unknown)}; the columns are {string.Join(",", Required.Concat(Optional))}");
        if (errors.Count > 0) return (rows, errors);

        while (csv.Read())
        {
            var line = csv.RowNumber + 1; // RowNumber counts records after the header; people count the header as line 1
            string? Get(string column) => header.IndexOf(column) is var i and >= 0 && i < csv.RowFieldCount && csv.GetString(i).Trim() is { Length: > 0 } v ? v : null;
            if (Enumerable.Range(0, csv.RowFieldCount).All(i => string.IsNullOrWhiteSpace(csv.GetString(i)))) continue;
            if (csv.RowFieldCount != header.Count)
            {
                errors.Add($"line {line}: {csv.RowFieldCount} fields where the header names {header.Count}; quote a value that holds a comma");
                continue;
            }
            rows.Add(new SiteRow(line, Get("name") ?? "", Get("stack"), Get("admin_user"), Get("admin_email"), SplitComponents(Get("components")),
                Get("level"), Get("tz")));
        }
        return (rows, errors);
    }

    /// <summary>
    /// GOCDB's <c>get_site_list</c> (attributes NAME, ...) or <c>get_site</c> (elements SHORT_NAME, TIMEZONE) output.
    /// GOCDB knows no middleware stack and no chat ids, so the stack comes from the operator and no admins are read.
    /// </summary>
    public static (List<SiteRow> Rows, List<string> Errors) ReadGocdb(TextReader text, string? stack)
    {
        var rows = new List<SiteRow>();
        var errors = new List<string>();
        XDocument doc;
        try
        {
            doc = XDocument.Load(text, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            errors.Add($"line {ex.LineNumber}: not well-formed XML: {ex.Message}");
            return (rows, errors);
        }
        if (stack is null) errors.Add("line 1: GOCDB lists no middleware stack: give one with --stack (e.g. --stack glite)");
        var sites = doc.Descendants().Where(e => e.Name.LocalName == "SITE").ToList();
        if (sites.Count == 0) errors.Add("line 1: no SITE elements: expected GOCDB's get_site_list or get_site output");
        foreach (var site in sites)
        {
            var line = ((IXmlLineInfo)site).LineNumber;
            var name = site.Attribute("NAME")?.Value ?? site.Elements().FirstOrDefault(e => e.Name.LocalName == "SHORT_NAME")?.Value ?? "";
            var tz = site.Elements().FirstOrDefault(e => e.Name.LocalName == "TIMEZONE")?.Value;
            rows.Add(new SiteRow(line, name.Trim(), stack, null, null, [], null, string.IsNullOrWhiteSpace(tz) ? null : tz.Trim()));
        }
        return (rows, errors);
    }

    private static string[] SplitComponents(string? text) =>
        text is null ? [] : text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
