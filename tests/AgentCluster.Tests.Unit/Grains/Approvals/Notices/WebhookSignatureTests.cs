using System.Text;
using AgentCluster.Grains.Approvals.Notices;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Notices;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_unit-test-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"approval.pending","approvalId":"apr_1"}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_signature_verifies_with_its_secret_body_and_a_fresh_timestamp()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        Assert.Matches("^t=1800000000,v1=[0-9a-f]{64}$", header);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, Now + TimeSpan.FromSeconds(30), Tolerance));
    }

    [Fact]
    public void Another_secret_a_changed_body_a_changed_timestamp_or_an_old_one_fail()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        Assert.False(WebhookSignature.Verify("whsec_other", header, Body, Now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, [.. Body, (byte)' '], Now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header.Replace("t=1800000000", "t=1800000001", StringComparison.Ordinal), Body, Now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now + TimeSpan.FromMinutes(6), Tolerance), "a replay after the window passed");
        Assert.False(WebhookSignature.Verify(Secret, "v1=00", Body, Now, Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, "", Body, Now, Tolerance));
    }

    [Fact]
    public void New_secrets_are_random_and_url_safe()
    {
        var a = WebhookSignature.NewSecret();
        Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", a);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }
}
