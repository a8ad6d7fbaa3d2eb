using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Errors;

/// <summary><c>session create</c> got a session back that is not Ready; the message gives its state and reason.</summary>
internal sealed class SessionFailedException(string message) : Exception(message)
{
    /// <summary>e.g. <c>session ses_1 failed: image not found</c>, or <c>session ses_1 is Lost, not Ready</c>.</summary>
    public static string Describe(SessionInfo session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var what = session.State == SessionStates.Failed
            ? $"session {session.Id} failed"
            : $"session {session.Id} is {session.State}, not Ready";
        return session.Reason.Length == 0 ? what : $"{what}: {session.Reason}";
    }
}
