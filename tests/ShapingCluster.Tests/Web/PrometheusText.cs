using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ShapingCluster.Tests.Web;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4, written from its specification (not from the
/// exporter): # HELP and # TYPE lines, samples <c>name{label="value",...} value [timestamp]</c> with escaped label
/// values, every sample after its family's TYPE, a family's lines together, histogram buckets cumulative with the
/// <c>+Inf</c> bucket equal to <c>_count</c>. Anything else is a <see cref="FormatException"/> naming the line.
/// </summary>
internal static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string? Help, List<Sample> Samples);

    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        var families = new Dictionary<string, Family>();
        var closed = new HashSet<string>();
        string? current = null;
        int number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0) continue;
            string Where() => $"line {number} '{line}'";
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    if (!MetricName().IsMatch(name)) throw new FormatException($"{Where()}: bad metric name");
                    if (parts[1] == "TYPE")
                    {
                        if (parts.Length != 4 || !Types.Contains(parts[3])) throw new FormatException($"{Where()}: bad type");
                        if (families.TryGetValue(name, out var known) && known.Type != "") throw new FormatException($"{Where()}: a second TYPE for {name}");
                        if (known is { Samples.Count: > 0 }) throw new FormatException($"{Where()}: TYPE after samples of {name}");
                        families[name] = (known ?? new Family(name, "", null, [])) with { Type = parts[3] };
                    }
                    else families[name] = (families.GetValueOrDefault(name) ?? new Family(name, "", null, [])) with { Help = parts.Length == 4 ? parts[3] : "" };
                }
                continue; // any other # line is a comment
            }
            var sample = ParseSample(line, Where);
            var family = FamilyOf(sample.Name, families) ?? throw new FormatException($"{Where()}: {sample.Name} has no TYPE line before it");
            if (family.Name != current)
            {
                if (closed.Contains(family.Name)) throw new FormatException($"{Where()}: the lines of {family.Name} are not together");
                if (current is not null) closed.Add(current);
                current = family.Name;
            }
            family.Samples.Add(sample);
        }
        foreach (var family in families.Values.Where(f => f.Type == "histogram")) CheckHistogram(family);
        return families;
    }

    private static Family? FamilyOf(string sample, Dictionary<string, Family> families)
    {
        if (families.TryGetValue(sample, out var exact) && exact.Type != "histogram") return exact;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (sample.EndsWith(suffix) && families.TryGetValue(sample[..^suffix.Length], out var h) && h.Type is "histogram" or "summary") return h;
        return null;
    }

    private static Sample ParseSample(string line, Func<string> where)
    {
        int at = 0;
        while (at < line.Length && line[at] is not ('{' or ' ')) at++;
        var name = line[..at];
        if (!MetricName().IsMatch(name)) throw new FormatException($"{where()}: bad metric name");
        var labels = new Dictionary<string, string>();
        if (at < line.Length && line[at] == '{')
        {
            at++;
            while (true)
            {
                if (at >= line.Length) throw new FormatException($"{where()}: unterminated labels");
                if (line[at] == '}') { at++; break; }
                int start = at;
                while (at < line.Length && line[at] != '=') at++;
                var label = line[start..at];
                if (!LabelName().IsMatch(label)) throw new FormatException($"{where()}: bad label name '{label}'");
                if (at + 1 >= line.Length || line[at + 1] != '"') throw new FormatException($"{where()}: label {label} has no quoted value");
                at += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (at >= line.Length) throw new FormatException($"{where()}: unterminated value of {label}");
                    char c = line[at++];
                    if (c == '"') break;
                    if (c == '\\')
                    {
                        if (at >= line.Length) throw new FormatException($"{where()}: a lone backslash");
                        char e = line[at++];
                        value.Append(e switch { '\\' => '\\', '"' => '"', 'n' => '\n', _ => throw new FormatException($"{where()}: bad escape \\{e}") });
                    }
                    else value.Append(c);
                }
                if (!labels.TryAdd(label, value.ToString())) throw new FormatException($"{where()}: label {label} twice");
                if (at < line.Length && line[at] == ',') at++;
            }
        }
        if (at >= line.Length || line[at] != ' ') throw new FormatException($"{where()}: no value");
        var rest = line[(at + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2) throw new FormatException($"{where()}: expected a value and at most a timestamp");
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw new FormatException($"{where()}: bad timestamp");
        return new Sample(name, labels, ParseValue(rest[0], where));
    }

    private static double ParseValue(string text, Func<string> where) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"{where()}: bad value '{text}'"),
    };

    private static void CheckHistogram(Family family)
    {
        var series = family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")));
        foreach (var one in series)
        {
            var buckets = one.Where(s => s.Name == family.Name + "_bucket")
                .Select(s => (Le: ParseValue(s.Labels.TryGetValue("le", out var le) ? le : throw new FormatException($"{family.Name}: a bucket without le"), () => family.Name), s.Value))
                .ToList();
            if (buckets.Count == 0 || !double.IsPositiveInfinity(buckets[^1].Le)) throw new FormatException($"{family.Name}{{{one.Key}}}: no +Inf bucket last");
            for (int i = 1; i < buckets.Count; i++)
                if (buckets[i].Le <= buckets[i - 1].Le || buckets[i].Value < buckets[i - 1].Value)
                    throw new FormatException($"{family.Name}{{{one.Key}}}: buckets not increasing and cumulative at le={buckets[i].Le}");
            var count = one.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"{family.Name}{{{one.Key}}}: no _count");
            if (one.All(s => s.Name != family.Name + "_sum")) throw new FormatException($"{family.Name}{{{one.Key}}}: no _sum");
            if (count.Value != buckets[^1].Value) throw new FormatException($"{family.Name}{{{one.Key}}}: _count {count.Value} ≠ +Inf bucket {buckets[^1].Value}");
        }
    }

    /// <summary>The value of the one sample named <paramref name="name"/> with these labels (all others ignored).</summary>
    public static double Value(this IReadOnlyDictionary<string, Family> families, string name, params (string Label, string Value)[] labels)
    {
        var sample = families.Values.SelectMany(f => f.Samples).Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).ToList();
        return sample.Count == 1 ? sample[0].Value : throw new InvalidOperationException($"{sample.Count} samples named {name} with {string.Join(",", labels)}");
    }
}
