using AgentCluster.Api.V1;
using AgentCluster.Silo.Authentication;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

internal sealed class ClusterApi(IGrainFactory grains) : ClusterService.ClusterServiceBase
{
    public override async Task<ClusterStatus> GetStatus(GetClusterStatusRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireClusterAdmin();
        var entries = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var status = new ClusterStatus();
        status.Silos.AddRange(entries.OrderBy(e => e.SiloAddress.ToString()).Select(e => new global::AgentCluster.Api.V1.Silo
        {
            Address = $"{e.SiloAddress.Endpoint.Address}:{e.SiloAddress.Endpoint.Port}",
            Status = e.Status.ToString(),
            Name = e.SiloName ?? "",
            HostName = e.HostName ?? "",
            StartedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(e.StartTime, DateTimeKind.Utc)),
            IAmAliveAt = Timestamp.FromDateTime(DateTime.SpecifyKind(e.IAmAliveTime, DateTimeKind.Utc)),
            GatewayPort = e.ProxyPort,
        }));
        return status;
    }
}
