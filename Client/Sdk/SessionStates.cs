namespace AgentCluster.Client.Sdk;

/// <summary>The states a session moves through, spelled as the server sends them.</summary>
public static class SessionStates
{
    public const string Pending = "Pending";
    public const string Starting = "Starting";
    public const string Ready = "Ready";
    public const string Terminating = "Terminating";
    public const string Terminated = "Terminated";
    public const string Failed = "Failed";

    /// <summary>Its Docker host was lost while it ran.</summary>
    public const string Lost = "Lost";

    public static IReadOnlyList<string> All { get; } = [Pending, Starting, Ready, Terminating, Terminated, Failed, Lost];
}
