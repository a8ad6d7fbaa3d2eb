using System.Text.Json;

namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>Parses a generic tool's payload strictly, so the classifier and the tool read the same thing.</summary>
internal static class PayloadDocument
{
    private static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    public static JsonDocument? TryParse(string? json) => Guard(() => JsonDocument.Parse(json ?? "", Strict));

    public static JsonDocument? TryParse(ReadOnlyMemory<byte> utf8) => Guard(() => JsonDocument.Parse(utf8, Strict));

    private static JsonDocument? Guard(Func<JsonDocument> parse)
    {
        JsonDocument document;
        try
        {
            document = parse();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return null;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object && HasUniqueNames(document.RootElement))
            return document;
        document.Dispose();
        return null;
    }

    // A JSON parser keeps the first or the last of two equal keys, and a tool may match names
    // ignoring case: {"sql":"SELECT 1","SQL":"DROP TABLE t"} must not be read two ways.
    private static bool HasUniqueNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count()
                                    == element.EnumerateObject().Count()
                                && element.EnumerateObject().All(p => HasUniqueNames(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(HasUniqueNames),
        _ => true,
    };
}
