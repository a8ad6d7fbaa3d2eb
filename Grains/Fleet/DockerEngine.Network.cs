using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerEngine
{
    /// <summary>Without it, sandboxes on one host (of any tenant) could reach each other directly.</summary>
    public const string IccOption = "com.docker.network.bridge.enable_icc";

    public Task EnsureNetworkAsync(CancellationToken ct = default)
    {
        lock (_networkLock)
            _network = EnsureNetworkCoreAsync();
        return _network.WaitAsync(ct);
    }

    private Task CachedNetworkAsync(CancellationToken ct)
    {
        lock (_networkLock)
        {
            if (_network is null || _network.IsFaulted || _network.IsCanceled)
                _network = EnsureNetworkCoreAsync();
            return _network.WaitAsync(ct);
        }
    }

    private void ForgetNetwork()
    {
        lock (_networkLock)
            _network = null;
    }

    private async Task EnsureNetworkCoreAsync()
    {
        var found = await FindNetworksAsync();
        if (found.Count == 0)
        {
            var create = new NetworksCreateParameters
            {
                Name = _options.NetworkName,
                Driver = "bridge",
                Internal = true,
                CheckDuplicate = true,
                Options = new Dictionary<string, string> { [IccOption] = "false" },
                Labels = new Dictionary<string, string> { ["agentcluster.network"] = "sandbox" },
            };
            try
            {
                await Bounded(c => _client.Networks.CreateNetworkAsync(create, c), "network create", CancellationToken.None);
                _logger.LogInformation("Created internal network {Network} on {Endpoint}", _options.NetworkName, _endpoint);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Another silo created it first; the list below finds theirs.
            }
            found = await FindNetworksAsync();
        }

        // CheckDuplicate is best effort: two creators racing can still make two networks of one
        // name, and a container then cannot be attached "by name". Keep the oldest.
        var ordered = found.OrderBy(n => n.Created).ThenBy(n => n.ID, StringComparer.Ordinal).ToList();
        foreach (var extra in ordered.Skip(1))
        {
            try
            {
                await Bounded(c => _client.Networks.DeleteNetworkAsync(extra.ID, c), "network remove", CancellationToken.None);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Could not remove duplicate network {Network} ({Id}) on {Endpoint}", extra.Name, extra.ID, _endpoint);
            }
        }

        var network = ordered.FirstOrDefault()
            ?? throw new InvalidOperationException($"network {_options.NetworkName} on {_endpoint} could not be created");
        if (!network.Internal)
            throw new InvalidOperationException($"network {_options.NetworkName} on {_endpoint} exists but is not internal; remove it and the fleet will recreate it");
        if (network.Options is null || !network.Options.TryGetValue(IccOption, out var icc) || icc != "false")
            throw new InvalidOperationException($"network {_options.NetworkName} on {_endpoint} lets containers reach each other ({IccOption} is not false); remove it and the fleet will recreate it");
        _gateway = network.IPAM?.Config?.Select(c => c.Gateway).FirstOrDefault(g => g is { Length: > 0 });
    }

    public async Task<string?> GatewayAsync(CancellationToken ct = default)
    {
        await CachedNetworkAsync(ct);
        return _gateway;
    }

    /// <summary>The network's gateway: the host's address on it, where that host's egress proxy listens.</summary>
    public Task<string?> ProxyAddressAsync(CancellationToken ct = default) => GatewayAsync(ct);

    private async Task<List<NetworkResponse>> FindNetworksAsync()
    {
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["name"] = new Dictionary<string, bool> { [_options.NetworkName] = true },
        };
        var listed = await Bounded(c => _client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter }, c), "network list", CancellationToken.None);
        // The name filter matches substrings.
        return [.. listed.Where(n => n.Name == _options.NetworkName)];
    }
}
