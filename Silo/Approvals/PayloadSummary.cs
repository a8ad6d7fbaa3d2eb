using System.Globalization;
using System.Text.Json;

namespace AgentCluster.Silo.Approvals;

/// <summary>
/// An approval's redacted payload as a person reads it, one line each: for an HTTP request
/// <c>POST https://api.example.com/v1/payouts</c>, then the headers that change its meaning and
/// the body's fields (<c>amount: 2000</c>, <c>currency: usd</c>, <c>destination: acct_…</c>); for
/// any other action its fields. Made from the redacted payload only, so it shows nothing the
/// payload hides. The API and the console both show it, so it is made in one place.
/// </summary>
public static class PayloadSummary
{
    private const int MaxLines = 40;
    private const int MaxValue = 200;

    public static IReadOnlyList<string> Of(string redactedPayload)
    {
        try
        {
            using var document = JsonDocument.Parse(redactedPayload);
            var lines = new List<string>();
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                Http(document.RootElement, lines);
            else
                lines.Add(Value(document.RootElement));
            return lines.Count > MaxLines ? [.. lines.Take(MaxLines), $"… {lines.Count - MaxLines} more"] : lines;
        }
        catch (JsonException)
        {
            return [Clip(redactedPayload)];
        }
    }

    private static void Http(JsonElement payload, List<string> lines)
    {
        if (!IsString(payload, "method", out var method) || !IsString(payload, "url", out var url))
        {
            Fields("", payload, lines);
            return;
        }
        lines.Add($"{method} {url}" + (IsString(payload, "sentAs", out var wire) ? $" (sent as {wire})" : ""));
        if (payload.TryGetProperty("headers", out var headers))
            Fields("", headers, lines);
        if (payload.TryGetProperty("body", out var body))
        {
            if (body.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                Fields("", body, lines);
            else
                lines.Add("body: " + Value(body));
        }
        if (payload.TryGetProperty("bodyBytes", out var bytes) && payload.TryGetProperty("bodySha256", out var hash))
            lines.Add($"body: {bytes.GetRawText()} bytes{(payload.TryGetProperty("bodyTruncated", out _) ? " (first 16 KiB shown)" : "")}, "
                + $"sha256 {Clip(hash.GetString() ?? "")}");
    }

    /// <summary>Leaves as <c>a.b[0]: value</c>, in the payload's order.</summary>
    private static void Fields(string prefix, JsonElement element, List<string> lines)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var field in element.EnumerateObject())
                    Fields(prefix.Length == 0 ? field.Name : $"{prefix}.{field.Name}", field.Value, lines);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Fields($"{prefix}[{i++.ToString(CultureInfo.InvariantCulture)}]", item, lines);
                break;
            default:
                lines.Add($"{Clip(prefix)}: {Value(element)}");
                break;
        }
    }

    private static bool IsString(JsonElement payload, string name, out string value)
    {
        value = payload.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.String ? field.GetString()! : "";
        return value.Length > 0;
    }

    private static string Value(JsonElement element) =>
        Clip(element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText());

    /// <summary>One printable line, cut short: the payload comes from an agent.</summary>
    private static string Clip(string text)
    {
        var line = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        return line.Length <= MaxValue ? line : line[..MaxValue] + "…";
    }
}
