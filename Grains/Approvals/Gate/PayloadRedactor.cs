using System.Text.Json;
using System.Text.Json.Nodes;
using AgentCluster.Grains.Audit;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Gate;

/// <summary>
/// The payload as an approver and the audit may see it: configured fields replaced at any depth,
/// and our own keys and tokens reduced to hash prefixes wherever they occur.
/// </summary>
public sealed class PayloadRedactor(IOptions<GateOptions> options)
{
    private readonly HashSet<string> _fields = new(options.Value.RedactFields, StringComparer.OrdinalIgnoreCase);

    public string Redact(ReadOnlySpan<byte> payload)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(payload.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            // Not JSON: showing it raw could show anything, so the approver sees its size only.
            return $"[not JSON: {payload.Length} bytes]";
        }
        return root is null ? "null" : Walk(root)!.ToJsonString();
    }

    private JsonNode? Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                    o[name] = _fields.Contains(name) ? AuditScrubber.Redacted : Walk(value?.DeepClone());
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    a[i] = Walk(a[i]?.DeepClone());
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return AuditScrubber.Mask(v.GetValue<string>());
            default:
                return node;
        }
    }

}
