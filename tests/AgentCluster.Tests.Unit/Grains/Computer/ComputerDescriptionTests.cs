using System.Text;
using System.Text.Json;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Computer;
using K = AgentCluster.ComputerProtocol.ComputerActions;

namespace AgentCluster.Tests.Unit.Grains.Computer;

public sealed class ComputerDescriptionTests
{
    private const string Secret = "correct horse battery staple";

    [Theory]
    [InlineData(K.Screenshot, "browser.screenshot")]
    [InlineData(ComputerActionRules.WatchFrames, "browser.screenshot")]
    [InlineData(K.Click, "browser.click")]
    [InlineData(K.Type, "browser.type")]
    [InlineData(K.Navigate, "browser.navigate")]
    [InlineData(K.Key, "browser.key")]
    [InlineData(K.Scroll, "browser.scroll")]
    [InlineData(K.Drag, "browser.drag")]
    [InlineData(K.MouseMove, "browser.move")]
    [InlineData(K.CursorPosition, "browser.cursor")]
    [InlineData(K.Wait, "browser.wait")]
    public void Every_action_is_gated_under_a_name_the_built_in_table_lists_as_reversible(string kind, string gate)
    {
        Assert.Equal(gate, ComputerDescription.GateName(kind));
        Assert.Equal(AgentCluster.Grains.Approvals.RiskLevel.Reversible,
            AgentCluster.Grains.Approvals.Classification.DefaultActions.Create()[gate]);
    }

    [Fact]
    public void Typed_text_is_described_by_its_length_and_hash_prefix_only()
    {
        var action = new ComputerAction(K.Type) { Text = Secret };

        var payload = Encoding.UTF8.GetString(ComputerDescription.GatePayload(action));
        var row = ComputerAudit.Row("acme", "key_1", "ses_1", action, new ComputerOutcome(ComputerStatus.Done) { Risk = "Reversible" });

        Assert.DoesNotContain("horse", payload, StringComparison.Ordinal);
        Assert.DoesNotContain(row.Detail.Values, v => v.Contains("horse", StringComparison.Ordinal));
        var json = JsonDocument.Parse(payload).RootElement;
        Assert.Equal(("type", "28", AuditScrubber.HashPrefix(Secret)),
            (json.GetProperty("action").GetString(), json.GetProperty("text_length").GetString(), json.GetProperty("text_sha256").GetString()));
        Assert.Equal((AuditKinds.ComputerAction, "success", "28", "browser.type"),
            (row.Kind, row.Outcome, row.Detail["text_length"], row.Detail["gate"]));
    }

    [Fact]
    public void A_click_row_has_its_point_button_risk_approval_and_cursor()
    {
        var action = new ComputerAction(K.Click) { X = 640, Y = 400, Button = "double" };
        var row = ComputerAudit.Row("acme", "key_1", "ses_1", action,
            new ComputerOutcome(ComputerStatus.Done) { Risk = "Irreversible", ApprovalId = "apr_1", CursorX = 640, CursorY = 400 });

        Assert.Equal(("click", "640", "400", "double", "Irreversible", "apr_1", "640,400"), (row.Detail["action"], row.Detail["x"], row.Detail["y"],
            row.Detail["button"], row.Detail["risk"], row.Detail["approval"], row.Detail["cursor"]));
        Assert.Equal(("ses_1", "key_1"), (row.Subject, row.Actor));
    }

    [Fact]
    public void A_refused_or_denied_action_is_a_denied_row_with_the_reason_and_a_failure_a_failed_one()
    {
        var navigate = new ComputerAction(K.Navigate) { Url = "https://evil.com/" };
        var refused = ComputerAudit.Row("acme", "key_1", "ses_1", navigate, new ComputerOutcome(ComputerStatus.Refused, "not on the allowlist"));
        var failed = ComputerAudit.Row("acme", "key_1", "ses_1", navigate, new ComputerOutcome(ComputerStatus.Unavailable, "no answer"));

        Assert.Equal(("denied", "not on the allowlist", "https://evil.com/"), (refused.Outcome, refused.Reason, refused.Detail["url"]));
        Assert.Equal("failed", failed.Outcome);
    }

    [Fact]
    public void A_long_url_is_shown_cut_with_its_length_and_hash_and_the_payload_stays_small()
    {
        var url = "data:text/html," + new string('x', 5000);
        var fields = ComputerDescription.Fields(new ComputerAction(K.Navigate) { Url = url }).ToDictionary(f => f.Key, f => f.Value);

        Assert.Equal(ComputerDescription.UrlShown + 1, fields["url"].Length);
        Assert.Equal(("5015", AuditScrubber.HashPrefix(url)), (fields["url_length"], fields["url_sha256"]));
    }

    [Fact]
    public void The_server_gets_only_a_screenshot_for_a_watch_and_the_canonical_url_for_a_navigate()
    {
        Assert.Equal("screenshot", ComputerDescription.Request(new ComputerAction(ComputerActionRules.WatchFrames) { Scale = 0.5 }, null).Action);
        var request = ComputerDescription.Request(new ComputerAction(K.Navigate) { Url = "https://API.example.com" }, "https://api.example.com/");
        Assert.Equal(("navigate", "https://api.example.com/"), (request.Action, request.Url));
    }
}
