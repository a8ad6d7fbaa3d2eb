namespace AgentCluster.Api;

/// <summary>
/// What the admin port tells a client that took it for the API: the gRPC API speaks HTTP/2 only, the
/// admin port HTTP/1.1 only, so a gRPC call there fails; its answers name the API's port in this header.
/// </summary>
public static class AdminPort
{
    public const string ApiPortHeader = "X-AgentCluster-Api-Port";
}
