using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Notices.Mail;

/// <summary><c>/mail bind|unbind</c> and <c>/mail</c>: which addresses and lists get which notices by e-mail. Coordinators only.</summary>
public static class MailCommands
{
    private static readonly string[] Usage =
    [
        "/mail bind early-adopters stack=glite address=early-adopters-glite@example.org list=yes",
        "/mail bind operations|broadcast|security address=… [list=yes]",
        "/mail unbind <purpose> [stack=…] address=…",
        "/mail",
    ];

    public static CommandDefinition Definition(NoticeStacks stacks, IOptions<MailOptions> options) => new("mail", "Coordinator", Usage,
        "send a kind of notice to an e-mail address or mailing list too (or stop)", Writes: true, s => HandleAsync(s, stacks, options.Value));

    private static async Task<Reply> HandleAsync(CommandSession s, NoticeStacks stacks, MailOptions options)
    {
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        var verb = s.Command.Verb;
        if (verb is null) return await ListAsync(s, options);
        if (verb is not ("bind" or "unbind")) return Refusals.Problem($"`/mail {verb}` is not a thing I do.", Usage, "/mail");

        var input = new CommandInput(s.Command, "stack", "address", "list");
        var address = input.Email("address", required: true)?.ToLowerInvariant();
        var listText = input.Optional("list");
        var isList = listText is "yes" or "true";
        if (listText is not (null or "yes" or "true" or "no" or "false"))
            input.Problem($"`list={listText}`: say `list=yes` for a mailing list, or leave it out.");
        var typed = s.Command.Positionals.Count > 1 ? s.Command.Positionals[1] : null;
        var purpose = NoticePurposes.Find(typed);
        if (purpose is null or NoticePurposes.Pilot)
            input.Problem($"{(typed is null ? "Name the kind of notice" : $"'{typed}' is not a kind of notice e-mail can get")}: " +
                $"{string.Join(", ", NoticePurposes.All.Where(p => p != NoticePurposes.Pilot))}.");
        var stack = "";
        if (purpose is not null && NoticePurposes.IsPerStack(purpose))
        {
            var stackTyped = input.Optional("stack");
            if (stackTyped is null) input.Problem($"{purpose} notices are per stack: add `stack=…`, one of {string.Join(", ", stacks.Names)}.");
            else if (stacks.Find(stackTyped) is { } found) stack = found;
            else input.Problem($"'{stackTyped}' is not a stack. Use one of: {string.Join(", ", stacks.Names)}.");
        }
        else if (input.Optional("stack") is { } extra) input.Problem($"{purpose} notices are not per stack: leave out `stack={extra}`.");
        if (purpose is not null && !MailBinding.MayCarry(purpose, isList))
            input.Problem("Security notices describe restricted releases: they go to people's own addresses, never to a mailing list.");
        if (!input.IsValid) return input.Refusal(Usage, "/mail");

        var label = NoticePurposes.Label(purpose!, stack);
        var existing = await s.Db.MailBindings.FirstOrDefaultAsync(b => b.Purpose == purpose && b.Stack == stack && b.Address == address, s.Ct);
        if (verb == "unbind")
        {
            if (existing is null) return Reply.No($"{address} does not get **{label}** notices; nothing to unbind.");
            s.Db.MailBindings.Remove(existing);
            return $"{address} no longer gets **{label}** notices by e-mail.";
        }
        if (existing is not null) return Reply.No($"{address} already gets **{label}** notices{(existing.IsList ? " (a list)" : "")}.");
        s.Db.MailBindings.Add(new MailBinding
        {
            Purpose = purpose!, Stack = stack, Address = address!, IsList = isList, BoundBy = s.Caller.UserId, BoundAt = s.Now,
        });
        return $"{address}{(isList ? " (a mailing list)" : "")} now gets **{label}** notices by e-mail, from the next one on." +
            (options.Enabled ? "" : " E-mail is not configured yet (Mail:Host, Mail:From): until it is, these e-mails wait parked in `/outbox`.");
    }

    private static async Task<Reply> ListAsync(CommandSession s, MailOptions options)
    {
        var bindings = await s.Db.MailBindings.AsNoTracking().OrderBy(b => b.Purpose).ThenBy(b => b.Stack).ThenBy(b => b.Address).ToListAsync(s.Ct);
        var text = new StringBuilder("**Notices by e-mail**");
        text.Append(options.Enabled ? $" (through {options.Host}:{options.Port}, {options.Security})\n" : " (e-mail is not configured: set Mail:Host and Mail:From)\n");
        if (bindings.Count == 0) text.Append($"No address gets notices yet. Example: `{Usage[0]}`.\n");
        foreach (var b in bindings) text.Append($"- {b.Label}: {b.Address}{(b.IsList ? " (list)" : "")}\n");
        return text.ToString();
    }
}
