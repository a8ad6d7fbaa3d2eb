using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Hosting;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.Options;

namespace AgentCluster.Silo.Bootstrap;

/// <summary>
/// Makes sure a cluster-admin key exists once the silo is active: the operator's key from
/// <c>AGENTCLUSTER_BOOTSTRAP_ADMIN_KEY</c>, or else a new one written to <c>{DataDir}/admin.key</c>
/// by whichever node claims it first.
/// </summary>
internal sealed class AdminKeyBootstrap(
    IGrainFactory grains, IAuditLog audit, IOptions<AgentClusterOptions> options, ILogger<AdminKeyBootstrap> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public const string EnvironmentVariable = "AGENTCLUSTER_BOOTSTRAP_ADMIN_KEY";

    public string KeyFile => Path.GetFullPath(Path.Combine(options.Value.DataDir, "admin.key"));

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AdminKeyBootstrap), ServiceLifecycleStage.Active, EnsureAdminKey);

    private async Task EnsureAdminKey(CancellationToken ct)
    {
        var system = grains.GetGrain<ITenantGrain>(SystemTenant.Name);
        if (Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim() is { Length: > 0 } supplied)
        {
            // Registered on every start, so a supplied key also recovers a cluster whose key file was lost.
            var hash = ApiKeyId.Hash(supplied);
            var isNew = await grains.GetGrain<IApiKeyGrain>(ApiKeyId.FromHash(hash)).Get() is null;
            if (!await system.ClaimBootstrapKey(hash))
                await system.AddKey(hash, [Roles.Admin]);
            if (isNew)
                await Audit(hash, "supplied by " + EnvironmentVariable);
            logger.LogInformation("Cluster-admin key {KeyId} taken from {Variable}", ApiKeyId.FromHash(hash), EnvironmentVariable);
            return;
        }

        if (File.Exists(KeyFile) && await IsLive(File.ReadAllText(KeyFile).Trim()))
        {
            logger.LogInformation("Cluster-admin key is in {KeyFile}", KeyFile);
            return;
        }

        var key = ApiKeyId.NewKey();
        var pending = KeyFile + ".new";
        // On disk before it is claimed, so a crash can never leave a registered key nobody holds.
        await WritePrivateFile(pending, key, ct);
        if (await system.ClaimBootstrapKey(ApiKeyId.Hash(key)))
        {
            await Audit(ApiKeyId.Hash(key), "generated at first start");
            File.Move(pending, KeyFile, overwrite: true);
            logger.LogInformation("Created the cluster-admin key and wrote it to {KeyFile} (mode 0600)", KeyFile);
        }
        else
        {
            File.Delete(pending);
            logger.LogInformation(
                "A cluster-admin key already exists (made by another node); set {Variable} to add one here",
                EnvironmentVariable);
        }
    }

    private Task Audit(string hash, string how) =>
        audit.AppendAsync(new AuditEvent(SystemTenant.Name, AuditActors.System, AuditKinds.KeyBootstrapped,
            ApiKeyId.FromHash(hash), AuditOutcomes.Success, how,
            AuditEvent.NoDetail.Add("roles", Roles.Admin)));

    private async Task<bool> IsLive(string key)
    {
        var hash = ApiKeyId.Hash(key);
        return key.Length > 0 && await grains.GetGrain<IApiKeyGrain>(ApiKeyId.FromHash(hash)).Authenticate(hash) is not null;
    }

    private static async Task WritePrivateFile(string path, string content, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        var mode = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            mode.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, mode);
        await using var writer = new StreamWriter(stream);
        await writer.WriteLineAsync(content.AsMemory(), ct);
    }
}
