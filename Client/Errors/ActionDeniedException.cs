namespace AgentCluster.Client.Errors;

/// <summary><c>action wait</c> ended in denied or expired: the action must not run.</summary>
internal sealed class ActionDeniedException(string message) : Exception(message);
