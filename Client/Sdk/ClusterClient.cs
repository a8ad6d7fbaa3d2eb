using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>ClusterService: membership as the silos see it.</summary>
public sealed class ClusterClient
{
    private readonly ClusterService.ClusterServiceClient _client;
    private readonly CallDefaults _defaults;

    internal ClusterClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new ClusterService.ClusterServiceClient(channel);
        _defaults = defaults;
    }

    public async Task<IReadOnlyList<SiloInfo>> GetSilosAsync(CancellationToken cancellationToken = default)
    {
        var status = await _client.GetStatusAsync(new GetClusterStatusRequest(), _defaults.For(cancellationToken));
        return [.. status.Silos.Select(SiloInfo.From)];
    }
}
