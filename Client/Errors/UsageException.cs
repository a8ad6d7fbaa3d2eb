namespace AgentCluster.Client.Errors;

/// <summary>The command line itself is wrong; nothing was sent to the server.</summary>
internal sealed class UsageException(string message) : Exception(message);
