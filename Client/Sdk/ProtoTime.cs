using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Client.Sdk;

/// <summary>Unset well-known types become null instead of the Unix epoch or zero.</summary>
internal static class ProtoTime
{
    public static DateTimeOffset? ToDateTimeOffset(Timestamp? timestamp) => timestamp?.ToDateTimeOffset();

    public static TimeSpan? ToTimeSpan(Duration? duration) => duration?.ToTimeSpan();
}
