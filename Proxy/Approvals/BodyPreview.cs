using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentCluster.Proxy.Requests;

namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// What an approver reads of a request body: a form as its fields, JSON as itself (both then
/// redacted by field name in the silo like any payload), other text as text, and nothing of a
/// binary body but its size and hash. Only the first <see cref="ShownBytes"/> are shown; the hash
/// beside it covers the whole body. Pure.
/// </summary>
public static class BodyPreview
{
    public const int ShownBytes = 16 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body's first bytes as an approver reads them; null when it is not text.</summary>
    public static JsonNode? Show(string? contentType, ReadOnlySpan<byte> shown, bool truncated)
    {
        if (Text(shown, truncated) is not { } text)
            return null;
        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return Form(text);
        if (!truncated && IsJson(mediaType) && Json(text) is { } json)
            return json;
        return JsonValue.Create(text);
    }

    /// <summary>Each field once, in order; a repeated field is a list of its values.</summary>
    private static JsonObject Form(string text)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in FormFields.Parse(text))
        {
            switch (fields[name])
            {
                case null when !fields.ContainsKey(name):
                    fields[name] = value;
                    break;
                case JsonArray values:
                    values.Add(value);
                    break;
                case var first:
                    fields[name] = new JsonArray(first!.DeepClone(), value);
                    break;
            }
        }
        return fields;
    }

    private static JsonNode? Json(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Strict UTF-8; a cut may split the last character, which is then left out.</summary>
    private static string? Text(ReadOnlySpan<byte> bytes, bool truncated)
    {
        for (var drop = 0; drop <= (truncated ? 3 : 0) && drop <= bytes.Length; drop++)
        {
            try
            {
                var text = StrictUtf8.GetString(bytes[..^drop]);
                return text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')) ? null : text;
            }
            catch (DecoderFallbackException)
            {
            }
        }
        return null;
    }
}
