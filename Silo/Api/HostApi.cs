using System.Collections.Immutable;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Fleet;
using AgentCluster.Silo.Authentication;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Host = AgentCluster.Api.V1.Host;

namespace AgentCluster.Silo.Api;

/// <summary>The Docker fleet is shared by every tenant, so only a cluster admin changes or sees it.</summary>
internal sealed class HostApi(IGrainFactory grains, IOptions<FleetOptions> fleet) : HostService.HostServiceBase
{
    public override async Task<Host> AddHost(AddHostRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireClusterAdmin();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 63 || !request.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw Invalid("host name must be 1-63 characters of letters, digits, '-', '_' and '.'");
        try
        {
            DockerEndpoint.Parse(request.Endpoint, request.TlsDir);
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
        if (request.Capacity < 0)
            throw Invalid("capacity must not be negative");

        var status = await grains.GetGrain<IDockerHostGrain>(request.Name).Register(new DockerHostRegistration(
            request.Endpoint,
            request.TlsDir.Length > 0 ? request.TlsDir : null,
            request.Capacity > 0 ? request.Capacity : fleet.Value.DefaultCapacity,
            request.Labels.ToImmutableDictionary()));
        return ToProto(status);
    }

    public override async Task<ListHostsResponse> ListHosts(ListHostsRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireClusterAdmin();
        var response = new ListHostsResponse();
        response.Hosts.AddRange((await grains.GetGrain<IFleetGrain>(IFleetGrain.Key).ListHosts()).Select(ToProto));
        return response;
    }

    public override async Task<Host> DrainHost(DrainHostRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireClusterAdmin();
        var grain = grains.GetGrain<IDockerHostGrain>(request.Name);
        if (await grain.GetStatus() is null)
            throw Caller.NotFound("host", request.Name);
        return ToProto(await grain.Drain());
    }

    public override async Task<RemoveHostResponse> RemoveHost(RemoveHostRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireClusterAdmin();
        var removal = await grains.GetGrain<IFleetGrain>(IFleetGrain.Key).RemoveHost(request.Name);
        return removal.Status switch
        {
            HostRemovalStatus.Removed => new RemoveHostResponse(),
            HostRemovalStatus.Busy => throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"host {request.Name} runs {removal.Running} live session(s): drain it (hosts drain {request.Name}) and remove it once they have ended")),
            _ => throw Caller.NotFound("host", request.Name),
        };
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static Host ToProto(DockerHostStatus h)
    {
        var host = new Host
        {
            Name = h.Name, Endpoint = h.Endpoint, Capacity = h.Capacity, Running = h.Running, Draining = h.Draining,
            Health = h.Health.ToString(), LastError = h.LastError ?? "", Labels = { h.Labels },
        };
        if (h.LastCheckAt is { } at)
            host.LastCheckAt = Timestamp.FromDateTimeOffset(at);
        return host;
    }
}
