namespace AgentCluster.Grains.Fleet;

[GenerateSerializer]
public enum HostRemovalStatus
{
    Removed,
    NotFound,

    /// <summary>It still runs sessions: nothing was changed.</summary>
    Busy,
}

/// <summary>What <c>hosts remove</c> did; <paramref name="Running"/> counts the live sessions that kept a busy host.</summary>
[GenerateSerializer, Immutable]
public sealed record HostRemoval([property: Id(0)] HostRemovalStatus Status, [property: Id(1)] int Running);
