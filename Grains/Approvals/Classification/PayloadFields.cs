using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>Field access for sub-classifiers: a missing field or one of the wrong type is malformed.</summary>
public static class PayloadFields
{
    public static bool TryGetString(JsonElement payload, string name, [NotNullWhen(true)] out string? value)
    {
        value = payload.ValueKind == JsonValueKind.Object
            && payload.TryGetProperty(name, out var field)
            && field.ValueKind == JsonValueKind.String
                ? field.GetString()
                : null;
        return value is not null;
    }

    public static ActionClassification Malformed(string action, string field) =>
        ActionClassification.Irreversible($"{action}: malformed payload, \"{field}\" must be a string");

    /// <summary>Attacker-supplied text in a reason is cut short and kept to one printable line,
    /// without the invisible format characters (bidi overrides) that could disguise it for an approver.</summary>
    public static string Quote(string text)
    {
        const int max = 40;
        var shown = text.Length <= max ? text : text[..max] + "…";
        return string.Concat(shown.Select(c =>
            char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c));
    }
}
