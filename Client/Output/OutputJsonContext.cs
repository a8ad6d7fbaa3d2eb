using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentCluster.Client.Output;

[JsonSerializable(typeof(TenantView))]
[JsonSerializable(typeof(TenantListView))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(KeyListView))]
[JsonSerializable(typeof(IssuedKeyView))]
[JsonSerializable(typeof(ClusterStatusView))]
[JsonSerializable(typeof(AuditRecordView))]
[JsonSerializable(typeof(AuditRecordListView))]
[JsonSerializable(typeof(AuditHeadListView))]
[JsonSerializable(typeof(AuditVerifyView))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(SessionListView))]
[JsonSerializable(typeof(HostView))]
[JsonSerializable(typeof(HostListView))]
[JsonSerializable(typeof(HostRemovedView))]
[JsonSerializable(typeof(SecretView))]
[JsonSerializable(typeof(SecretListView))]
[JsonSerializable(typeof(SecretRemovedView))]
[JsonSerializable(typeof(KeyRotationView))]
[JsonSerializable(typeof(IssuedGrantView))]
[JsonSerializable(typeof(GrantsRevokedView))]
[JsonSerializable(typeof(ApprovalView))]
[JsonSerializable(typeof(ApprovalListView))]
[JsonSerializable(typeof(AuthorizeView))]
[JsonSerializable(typeof(TenantUpdatedView))]
[JsonSerializable(typeof(ActionCompletedView))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
