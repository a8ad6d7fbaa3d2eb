using System.Text.Json.Serialization;

namespace AgentCluster.Client.Output;

[JsonSerializable(typeof(TenantView))]
[JsonSerializable(typeof(TenantListView))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(KeyListView))]
[JsonSerializable(typeof(IssuedKeyView))]
[JsonSerializable(typeof(ClusterStatusView))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
