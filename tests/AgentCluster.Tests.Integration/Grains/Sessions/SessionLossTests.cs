using AgentCluster.Api.V1;
using AgentCluster.Grains.Credentials;
using AgentCluster.Tests.Integration.Silo.Storage;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

/// <summary>
/// No session reads Ready without a running container: one whose container exited or was removed
/// under it, and one whose node stopped or was killed, ends with its grants and approvals.
/// </summary>
public sealed class SessionLossTests
{
    [Fact]
    public async Task A_session_whose_container_exits_or_is_removed_turns_Lost_with_its_grants_and_approvals()
    {
        await using var node = await Node.StartAsync();
        try
        {
            var exited = await node.SessionWithGrantAndApproval();
            var removed = await node.SessionWithGrantAndApproval();
            var untouched = await node.SessionWithGrantAndApproval();

            // As an engine restart or an OOM kill would leave them: one exited (SIGTERM, 143), one gone.
            await DockerHosts.Docker(exited.Endpoint, "kill", "--signal", "TERM", exited.Session.ContainerId);
            await DockerHosts.Docker(removed.Endpoint, "rm", "-f", removed.Session.ContainerId);

            foreach (var lost in new[] { exited, removed })
            {
                await node.StateIs(lost.Session.Id, "Lost");
                await node.Ended(lost);
            }
            var rows = await BrokerAudit.Rows(node.Data, node.Tenant);
            Assert.Equal(2, rows.Count(r => r.Kind == "session.state_changed" && r.Outcome == "lost" && r.Reason.Contains("is gone", StringComparison.Ordinal)));
            Assert.Equal(2, rows.Count(r => r.Kind == "grant.revoked"));
            // The reconcile killed the exited container on its own: a durable row says so. The removed
            // one was already gone, so nothing was reaped for it.
            Assert.Single(rows, r => r.Kind == "session.reaped");
            var reaped = Assert.Single(await BrokerAudit.Rows(node.Data, node.Tenant, exited.Session.Id), r => r.Kind == "session.reaped");
            Assert.Equal("success", reaped.Outcome);
            Assert.Contains("its process has ended", reaped.Reason, StringComparison.Ordinal);
            Assert.Equal("Ready", (await node.Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = untouched.Session.Id })).State);
            Assert.True((await node.Resolve(untouched)).Allowed);
            Assert.Equal(0, await DockerHosts.CountEverywhere($"agentcluster.session={exited.Session.Id}"));
            await node.RunningOnHostsIs(1);
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={node.Tenant}");
        }
    }

    [Fact]
    public async Task Stopping_the_node_ends_its_sessions_and_a_killed_nodes_sessions_are_Lost_at_its_next_start()
    {
        Node? node = null;
        var tenant = "";
        try
        {
            node = await Node.StartAsync();
            tenant = node.Tenant;
            var stopped = await node.SessionWithGrantAndApproval();
            await node.Silo.StopAsync();
            // Ctrl-C: gone at once, not at the next start.
            Assert.Equal(0, await DockerHosts.CountEverywhere($"agentcluster.tenant={tenant}"));

            node = await node.RestartAsync();
            Assert.Equal(("Terminated", "the node stopped"), await node.State(stopped.Session.Id));
            await node.Ended(stopped);

            var killed = await node.SessionWithGrantAndApproval();
            node.Silo.Kill();
            Assert.Equal(1, await DockerHosts.CountEverywhere($"agentcluster.tenant={tenant}"));

            node = await node.RestartAsync();
            Assert.Equal(0, await DockerHosts.CountEverywhere($"agentcluster.tenant={tenant}"));
            Assert.Equal(("Lost", "the node it ran on stopped without ending it"), await node.State(killed.Session.Id));
            await node.Ended(killed);
            await node.RunningOnHostsIs(0);
        }
        finally
        {
            if (node is not null)
                await node.DisposeAsync();
            await DockerHosts.RemoveAll($"agentcluster.tenant={tenant}");
        }
    }

    private sealed record Live(Session Session, string Endpoint, string TokenHash, string ApprovalId);

    /// <summary>One embedded node on the test fleet, a tenant with a stripe secret, and an Orleans client.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private ClusterClient _client = null!;

        public string Tenant { get; private init; } = "";
        public string Data { get; private init; } = "";
        public SiloProcess Silo { get; private set; } = null!;
        public ApiClients Admin { get; private set; } = null!;
        private TempDir Dir { get; init; } = null!;

        public static async Task<Node> StartAsync()
        {
            var dir = new TempDir();
            var node = new Node { Dir = dir, Data = dir.Sub("data"), Tenant = $"loss-{Guid.NewGuid():N}"[..14] };
            await node.OpenAsync();
            await node.Admin.Tenants.CreateTenantAsync(new CreateTenantRequest
            {
                Name = node.Tenant, MaxSessions = 5, MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)),
                AllowedImages = { "agentcluster/sandbox:*" }, AllowedGrants = { "stripe:read" },
            });
            await node.Admin.Secrets.PutSecretAsync(new PutSecretRequest
            {
                Tenant = node.Tenant, Resource = "stripe", Hosts = { PersistedWorld.StripeHost }, Actions = { "read" },
                Header = "Authorization", Format = "Bearer {secret}", Value = "sk_live_loss_" + Guid.NewGuid().ToString("N"),
            });
            return node;
        }

        public async Task<Node> RestartAsync()
        {
            await CloseAsync();
            await OpenAsync();
            return this;
        }

        public async Task<Live> SessionWithGrantAndApproval()
        {
            var session = await Admin.Sessions.CreateSessionAsync(new CreateSessionRequest
            {
                Tenant = Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(20)), AllowGrants = { "stripe:read" },
            });
            Assert.Equal("Ready", session.State);
            var grant = await Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "stripe", Action = "read" });
            var held = await Admin.Actions.AuthorizeAsync(new AuthorizeRequest { Session = session.Id, Action = "loss.unknown", Payload = ByteString.CopyFromUtf8("{}") });
            Assert.Equal("pending", held.Decision);
            var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..])];
            var live = new Live(session, endpoint, GrantTokens.Hash(grant.Token), held.ApprovalId);
            Assert.True((await Resolve(live)).Allowed);
            return live;
        }

        /// <summary>Its grants resolve no more, it gets no new one, and what it waited for is denied.</summary>
        public async Task Ended(Live live)
        {
            Assert.False((await Resolve(live)).Allowed);
            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = live.Session.Id, Resource = "stripe", Action = "read" }).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
            Assert.Equal("denied", (await Admin.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = live.ApprovalId })).Status);
        }

        public Task<GrantResolution> Resolve(Live live) =>
            _client.Grains.GetGrain<IGrantGrain>(live.TokenHash).Resolve(new GrantUse(live.Session.Id, PersistedWorld.StripeHost, ["GET"], OverTls: true));

        public async Task<(string State, string Reason)> State(string id)
        {
            var session = await Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = id });
            return (session.State, session.Reason);
        }

        public async Task StateIs(string id, string state)
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await State(id)).State != state)
            {
                Assert.True(DateTime.UtcNow < until, $"session {id} is {(await State(id)).State}, not {state}:\n{Silo.Output.Tail()}");
                await Task.Delay(200);
            }
        }

        /// <summary>
        /// What <c>hosts list</c> counts as running on the fleet. The engines are shared with
        /// the tests before this one: a young container they left counts until the next reconcile
        /// finds no session of this node claims it, so the count may take a few seconds to settle.
        /// </summary>
        public async Task RunningOnHostsIs(int expected)
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            int running;
            while ((running = (await Admin.Hosts.ListHostsAsync(new ListHostsRequest())).Hosts.Sum(h => h.Running)) != expected)
            {
                Assert.True(DateTime.UtcNow < until, $"hosts list counts {running} running, not {expected}:\n{Silo.Output.Tail()}");
                await Task.Delay(500);
            }
        }

        private async Task OpenAsync()
        {
            Silo = SiloProcess.Start(Data, DockerHosts.FleetArgs());
            await Silo.WaitHealthyAsync();
            Admin = new ApiClients(Silo.ApiEndpoint, (await File.ReadAllTextAsync(Path.Combine(Data, "admin.key"))).Trim());
            _client = await ClusterClient.LocalAsync(Silo.GatewayPort);
        }

        private async Task CloseAsync()
        {
            await _client.DisposeAsync();
            Admin.Dispose();
            await Silo.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await CloseAsync();
            Dir.Dispose();
        }
    }
}
