using System.Collections.Immutable;
using System.Globalization;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Host = AgentCluster.Api.V1.Host;

namespace AgentCluster.Silo.Api;

/// <summary>The Docker fleet is shared by every tenant, so only a cluster admin changes or sees it.</summary>
/// <remarks>Every change is a row of the system tenant's chain, durable before the change is acknowledged.</remarks>
internal sealed class HostApi(IGrainFactory grains, IAuditLog audit, IOptions<FleetOptions> fleet) : HostService.HostServiceBase
{
    public override async Task<Host> AddHost(AddHostRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireClusterAdmin();
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
        await Audited(caller, AuditKinds.HostAdded, status,
            ("endpoint", status.Endpoint), ("capacity", status.Capacity.ToString(CultureInfo.InvariantCulture)));
        return ToProto(status);
    }

    public override async Task<ListHostsResponse> ListHosts(ListHostsRequest request, ServerCallContext context)
    {
        Caller.From(context).RequireClusterAdmin();
        var response = new ListHostsResponse();
        response.Hosts.AddRange((await grains.GetGrain<IFleetGrain>(IFleetGrain.Key).ListHosts()).Select(ToProto));
        return response;
    }

    public override async Task<Host> DrainHost(DrainHostRequest request, ServerCallContext context) =>
        await SetDraining(context, request.Name, drain: true);

    public override async Task<Host> UndrainHost(UndrainHostRequest request, ServerCallContext context) =>
        await SetDraining(context, request.Name, drain: false);

    private async Task<Host> SetDraining(ServerCallContext context, string name, bool drain)
    {
        var caller = Caller.From(context).RequireClusterAdmin();
        var grain = grains.GetGrain<IDockerHostGrain>(name);
        if (await grain.GetStatus() is null)
            throw Caller.NotFound("host", name);
        var status = drain ? await grain.Drain() : await grain.Resume();
        await Audited(caller, drain ? AuditKinds.HostDrained : AuditKinds.HostUndrained, status,
            ("running", status.Running.ToString(CultureInfo.InvariantCulture)));
        return ToProto(status);
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

    private Task Audited(Caller caller, string kind, DockerHostStatus host, params (string Key, string Value)[] detail) =>
        audit.AppendAsync(AuditedAdministration.Event(caller, SystemTenant.Name, kind, host.Name, [("host", host.Name), .. detail]));

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static Host ToProto(DockerHostStatus h)
    {
        var host = new Host
        {
            Name = h.Name, Endpoint = h.Endpoint, Capacity = h.Capacity, Running = h.Running, Draining = h.Draining,
            Health = h.Health.ToString(), LastError = h.LastError ?? h.UnsafeReason ?? "", Labels = { h.Labels },
        };
        if (h.LastCheckAt is { } at)
            host.LastCheckAt = Timestamp.FromDateTimeOffset(at);
        return host;
    }
}
