using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AgentCluster.Client.Output;

/// <summary>The one JSON document a <c>--json</c> run prints: camelCase, indented, nulls kept.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Output goes to a terminal or a pipe, never into HTML, so image patterns and the like stay legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = OutputJsonContext.Default,
    };

    public static string Serialize<T>(T document) =>
        JsonSerializer.Serialize(document, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));
}
