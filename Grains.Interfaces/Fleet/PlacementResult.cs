namespace AgentCluster.Grains.Fleet;

[GenerateSerializer]
public enum PlacementStatus
{
    Placed,

    /// <summary>No healthy, non-draining host with the labels has a free slot (ResourceExhausted).</summary>
    NoCapacity,
}

[GenerateSerializer, Immutable]
public sealed record PlacementResult(
    [property: Id(0)] PlacementStatus Status,
    [property: Id(1)] string? Host,
    [property: Id(2)] string? Reason)
{
    public static PlacementResult On(string host) => new(PlacementStatus.Placed, host, null);

    public static PlacementResult None(string reason) => new(PlacementStatus.NoCapacity, null, reason);
}
