using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Tests.Unit.Client.Output;

public sealed class ApprovalViewTests
{
    [Fact]
    public void Show_reads_the_summary_first_one_line_each_then_the_payload_and_its_hash()
    {
        var approval = new ApprovalInfo("apr_1", "acme", "ses_1", "http.request", "Irreversible", "held", "pending", "ab12",
            """{"method":"POST"}""", null, null, "", null, "", "egress-proxy", "")
        {
            Summary = ["POST https://api.stripe.com/v1/payouts", "amount: 2000", "currency: usd", "destination: acct_1\u001b[2J"],
        };
        var text = new StringWriter();

        ApprovalView.Render(ApprovalView.From(approval), text);

        var lines = text.ToString().Split(Environment.NewLine);
        var first = Array.FindIndex(lines, l => l.StartsWith("SUMMARY", StringComparison.Ordinal));
        Assert.Matches(@"^SUMMARY\s+POST https://api\.stripe\.com/v1/payouts$", lines[first]);
        Assert.Matches(@"^\s+amount: 2000$", lines[first + 1]);
        Assert.Matches(@"^\s+currency: usd$", lines[first + 2]);
        // What an agent wrote cannot drive the approver's terminal.
        Assert.DoesNotContain('\u001b', lines[first + 3]);
        Assert.True(first < Array.FindIndex(lines, l => l.StartsWith("PAYLOAD SHA256", StringComparison.Ordinal)));
    }
}
