using System.Globalization;
using System.Net.Http.Headers;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Notices;

/// <summary>
/// Sends each posted approval to its tenant's webhook, signed, with retries and doubling backoff.
/// A delivery that never succeeds is audited; the approval itself does not depend on it.
/// </summary>
public sealed partial class WebhookSender(
    ApprovalNotices notices,
    IGrainFactory grains,
    ISecretVault vault,
    IAuditLog audit,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookSender> logger) : BackgroundService
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(options.Value.Concurrency);
        await foreach (var approval in notices.Reader.ReadAllAsync(stoppingToken))
        {
            await slots.WaitAsync(stoppingToken);
            _ = Task.Run(async () =>
            {
                try { await Deliver(approval, stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
                catch (Exception e) { logger.LogWarning(e, "Approval {Approval}: webhook delivery failed", approval.Id); }
                finally { slots.Release(); }
            }, CancellationToken.None);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private async Task Deliver(ApprovalInfo approval, CancellationToken ct)
    {
        var tenant = approval.Request.Tenant;
        if ((await grains.GetGrain<ITenantGrain>(tenant).Get())?.Approvals.WebhookUrl is not { } url)
            return;
        if (await vault.RevealAsync(tenant, WebhookOptions.SecretResource, ct) is not { } secret)
        {
            await Failed(approval, 0, "the tenant has no webhook signing secret");
            return;
        }

        var body = WebhookBody.Pending(approval);
        var o = options.Value;
        var delay = o.FirstRetryDelay;
        var last = "";
        for (var attempt = 1; attempt <= o.MaxAttempts; attempt++)
        {
            last = await Attempt(url, secret.Value, body, ct);
            if (last.Length == 0)
            {
                await audit.AppendAsync(Event(approval, AuditKinds.ApprovalNotified, AuditOutcomes.Success, "",
                    ("attempts", attempt.ToString(CultureInfo.InvariantCulture))));
                return;
            }
            LogAttemptFailed(approval.Id, attempt, last);
            if (attempt < o.MaxAttempts)
            {
                await Task.Delay(delay, clock, ct);
                delay = delay * 2 < o.MaxRetryDelay ? delay * 2 : o.MaxRetryDelay;
            }
        }
        await Failed(approval, o.MaxAttempts, last);
    }

    /// <summary>Empty on success, else what went wrong (a status or an exception type, never the URL's secrets or the body).</summary>
    private async Task<string> Attempt(string url, string secret, byte[] body, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header,
            WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? "" : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return e is OperationCanceledException ? "timed out" : $"{e.GetType().Name}: {(e as HttpRequestException)?.HttpRequestError}";
        }
    }

    private Task Failed(ApprovalInfo approval, int attempts, string reason) =>
        audit.AppendAsync(Event(approval, AuditKinds.ApprovalNotifyFailed, AuditOutcomes.Failed, reason,
            ("attempts", attempts.ToString(CultureInfo.InvariantCulture))));

    private static AuditEvent Event(ApprovalInfo a, string kind, string outcome, string reason, params (string Key, string Value)[] detail) =>
        new(a.Request.Tenant, AuditActors.System, kind, a.Id, outcome, reason,
            AuditEvent.NoDetail.AddRange(detail.Select(d => new KeyValuePair<string, string>(d.Key, d.Value))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Approval {Approval}: webhook attempt {Attempt} failed: {Reason}")]
    private partial void LogAttemptFailed(string approval, int attempt, string reason);
}
