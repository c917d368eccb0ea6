using Rollout.Bot.Notices.Mail;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Notices;

/// <summary>The e-mail bridge's way through the same outbox: once per notice, retried on 4xx and network faults, parked on 5xx.</summary>
public sealed partial class OutboxDispatcher
{
    private async Task<(Outcome, DateTimeOffset?, Delivered?)> MailOneAsync(Notice notice, DeliveryTarget target, string token, CancellationToken ct)
    {
        if (mail is null || !mail.Enabled)
            return (await ParkAsync(notice, token, "e-mail is not configured: set Mail:Host and Mail:From, then `/outbox retry`", ct), null, null);
        var address = target.ConversationId!;
        try
        {
            await mail.SendAsync(MailComposer.Compose(BotMessage.FromJson(notice.PayloadJson), notice.DedupeKey, address, mail.Options), ct);
        }
        catch (MailFailure ex) when (ex.Transient)
        {
            return await FailAsync(notice, token, ex.Message);
        }
        catch (MailFailure ex)
        {
            return (await ParkAsync(notice, token, "the mail server refused it: " + ex.Message, ct), null, null);
        }
        meters.Notices(sent: 1, retried: 0, parked: 0);
        // No activity id: an e-mail cannot be updated in place, so no card copy is recorded for it.
        var delivered = new Delivered(address, "", target.ServiceUrl, CreatedPersonal: false);
        await RecordSentAsync(notice, target, delivered, token);
        return (Outcome.Sent, null, delivered);
    }
}
