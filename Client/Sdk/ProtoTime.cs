using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Client.Sdk;

/// <summary>Unset well-known types become null instead of the Unix epoch or zero.</summary>
internal static class ProtoTime
{
    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static DateTimeOffset? ToDateTimeOffset(Timestamp? timestamp) => timestamp?.ToDateTimeOffset();

    public static TimeSpan? ToTimeSpan(Duration? duration) => duration?.ToTimeSpan();

    public static Timestamp? FromDateTimeOffset(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    /// <summary>Milliseconds since the Unix epoch; null when out of range rather than an exception mid-stream.</summary>
    public static DateTimeOffset? FromUnixMilliseconds(long ms) =>
        ms >= MinMs && ms <= MaxMs ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
