using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentCluster.Client.Output;

/// <summary>
/// The one JSON document a <c>--json</c> run prints: camelCase, indented, nulls kept; and, for streams
/// (export, a follow), the same objects one per line.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = Create(indented: true);

    private static readonly JsonSerializerOptions LineOptions = Create(indented: false);

    public static string Serialize<T>(T document) =>
        JsonSerializer.Serialize(document, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));

    /// <summary>One line of JSON Lines: the same shape as <see cref="Serialize{T}"/>, without newlines.</summary>
    public static string SerializeLine<T>(T document) =>
        JsonSerializer.Serialize(document, (JsonTypeInfo<T>)LineOptions.GetTypeInfo(typeof(T)));

    private static JsonSerializerOptions Create(bool indented) => new(JsonSerializerDefaults.Web)
    {
        WriteIndented = indented,
        // Output goes to a terminal or a pipe, never into HTML, so image patterns and the like stay legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = OutputJsonContext.Default,
    };
}
