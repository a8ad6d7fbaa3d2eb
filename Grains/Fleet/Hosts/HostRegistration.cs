namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>What a host's registration may say, and what a new one changes.</summary>
public static class HostRegistration
{
    public enum Change
    {
        /// <summary>Capacity or labels only.</summary>
        Settings,

        /// <summary>A new endpoint (or first registration) is a new host: nothing known about the old one carries over.</summary>
        Moved,
    }

    /// <summary>
    /// Applies the registration to the host's state; null when it changes nothing. Throws, and
    /// changes nothing, on a bad endpoint, capacity or label. A host that moved forgets what its
    /// ledger and health watch knew of the old endpoint.
    /// </summary>
    public static Change? Apply(DockerHostState s, DockerHostRegistration registration, ContainerLedger ledger, HealthWatch health)
    {
        var tlsDir = DockerEndpoint.Parse(registration.Endpoint, registration.TlsDir).TlsDir;
        if (registration.Capacity is < 0 or > 10_000)
            throw new ArgumentException($"capacity {registration.Capacity} must be between 0 and 10000");
        if (registration.Labels is null || registration.Labels.Keys.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("host label keys must not be empty");

        Change? change = !s.Registered || s.Endpoint != registration.Endpoint || s.TlsDir != tlsDir ? Change.Moved
            : s.Capacity != registration.Capacity || !s.Labels.OrderBy(l => l.Key).SequenceEqual(registration.Labels.OrderBy(l => l.Key)) ? Change.Settings
            : null;
        if (change == Change.Moved)
        {
            health.Moved();
            ledger.Moved();
            s.Health = HostHealth.Unknown;
            s.Sessions.Clear();
        }
        if (change is not null)
        {
            s.Registered = true;
            s.Endpoint = registration.Endpoint;
            s.TlsDir = tlsDir;
            s.Capacity = registration.Capacity;
            s.Labels = new Dictionary<string, string>(registration.Labels, StringComparer.Ordinal);
        }
        return change;
    }
}
