namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>Whether a host takes a launch, and if not, why: null means it does.</summary>
public static class LaunchAdmission
{
    /// <summary>Before the host has counted its engine: it must be registered and not draining, and the spec valid.</summary>
    public static LaunchResult? Before(string host, DockerHostState s, IReadOnlyList<string> specErrors)
    {
        if (!s.Registered)
            return LaunchResult.Refused(LaunchStatus.HostUnavailable, host, $"Docker host {host} is not registered");
        if (s.Draining)
            return LaunchResult.Refused(LaunchStatus.HostUnavailable, host, $"Docker host {host} is draining");
        if (specErrors.Count > 0)
            return LaunchResult.Refused(LaunchStatus.Invalid, host, new InvalidSandboxSpecException(specErrors).Message);
        return null;
    }

    /// <summary>
    /// Once counted: Healthy, with a free slot, and the session not already being launched here.
    /// Admitted, the launch holds its slot in the ledger until it ends.
    /// </summary>
    public static LaunchResult? Admit(string host, DockerHostState s, string? lastError, ContainerLedger ledger, string sessionId)
    {
        var why = lastError ?? (s.Health == HostHealth.Unsafe ? s.UnsafeReason : null);
        if (s.Health != HostHealth.Healthy)
            return LaunchResult.Refused(LaunchStatus.HostUnavailable, host, $"Docker host {host} is {s.Health}{(why is null ? "" : ": " + why)}");
        if (ledger.Running >= s.Capacity)
            return LaunchResult.Refused(LaunchStatus.NoCapacity, host, $"Docker host {host} is at capacity ({ledger.Running}/{s.Capacity})");
        if (!ledger.BeginLaunch(sessionId))
            return LaunchResult.Refused(LaunchStatus.Failed, host, $"session {sessionId} is already being launched on {host}");
        return null;
    }
}
