using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>HostService: the fleet of Docker hosts (cluster-admin key).</summary>
public sealed class HostsClient
{
    private readonly HostService.HostServiceClient _client;
    private readonly CallDefaults _defaults;

    internal HostsClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new HostService.HostServiceClient(channel);
        _defaults = defaults;
    }

    /// <summary>Registers a host, or updates the one of that name.</summary>
    public async Task<HostInfo> AddAsync(NewHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var request = new AddHostRequest
        {
            Name = host.Name,
            Endpoint = host.Endpoint,
            TlsDir = host.TlsDirectory ?? string.Empty,
            Capacity = host.Capacity ?? 0,
        };
        foreach (var (key, value) in host.Labels)
        {
            request.Labels[key] = value;
        }

        return HostInfo.From(await _client.AddHostAsync(request, _defaults.For(cancellationToken)));
    }

    public async Task<IReadOnlyList<HostInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var response = await _client.ListHostsAsync(new ListHostsRequest(), _defaults.For(cancellationToken));
        return [.. response.Hosts.Select(HostInfo.From)];
    }

    /// <summary>Takes the host out of the fleet; refused (FailedPrecondition) while it runs sessions.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken = default) =>
        await _client.RemoveHostAsync(new RemoveHostRequest { Name = name }, _defaults.For(cancellationToken));

    /// <summary>No new sessions on the host; the running ones go on to their end.</summary>
    public async Task<HostInfo> DrainAsync(string name, CancellationToken cancellationToken = default) =>
        HostInfo.From(await _client.DrainHostAsync(new DrainHostRequest { Name = name }, _defaults.For(cancellationToken)));

    /// <summary>The host takes new sessions again.</summary>
    public async Task<HostInfo> UndrainAsync(string name, CancellationToken cancellationToken = default) =>
        HostInfo.From(await _client.UndrainHostAsync(new UndrainHostRequest { Name = name }, _defaults.For(cancellationToken)));
}
