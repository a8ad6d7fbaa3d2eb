namespace AgentCluster.Client.Errors;

/// <summary><c>audit verify</c> recomputed a chain and it does not hold; the message names the tenant and the first bad seq.</summary>
internal sealed class AuditBrokenException(string message) : Exception(message);
