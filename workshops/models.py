"""Workshops, their live boards, and the numbered event log of every board change.

A `Workshop` belongs to a city and has facilitators; its method template creates its
`Board`s and their `Column`s. People take part as `Participant`s (joined with the
workshop's code, with or without an account). `Card`s sit in columns, carry `Vote`s,
and may be grouped into named clusters. Every change to a board is written together
with a `BoardEvent` whose `seq` is the board's next, gap-free sequence number: the log
is what the board protocol broadcasts and what a reconnecting client resyncs from.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import City, TimeStampedModel
from core.text.fields import TextLanguageField
from ideas.models import Dream

# Six characters, none that can be misread (no 0/O, 1/I/L).
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6

CARD_TEXT_MAX = 500
CARDS_PER_BOARD_MAX = 2000
# One participant's share of a board, far above what a workshop writes (a busy
# hour is 10–30 cards each); facilitators are not limited by it.
CARDS_PER_PARTICIPANT_MAX = 100
# Changes one participant may make on boards in CHANGE_WINDOW seconds, over all
# their sockets and forms together (each socket also has its own bucket).
CHANGES_PER_PARTICIPANT = 60
CHANGE_WINDOW = 10
# Sockets one participant (one browser session, or one user) may hold on a board.
SOCKETS_PER_PARTICIPANT_MAX = 5
GROUP_NAME_MAX = 80
# The name a facilitator gives the physical meeting paper cards came from.
MEETING_MAX = 120
# Flipchart photos: where they are stored (private; see BoardPhoto), their caption.
BOARD_PHOTO_FOLDER = "workshops/photos/"
PHOTO_CAPTION_MAX = 200
DEFAULT_VOTE_BUDGET = 5
# A presence row counts while its process renewed it within the lease (seconds).
PRESENCE_HEARTBEAT = 20
PRESENCE_LEASE = 60


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Method(models.TextChoices):
    SERVICE_JAM = "service_jam", _("Service Jam")
    BRAINSTORMING = "brainstorming", _("Brainstorming")
    CUSTOMER_PANEL = "customer_panel", _("Customer panel (asiakasraati)")
    SERVICE_BLUEPRINT = "service_blueprint", _("Service blueprint")
    KEEP_CHANGE_START = "keep_change_start", _("Keep / change / start")


class Phase(models.TextChoices):
    OPEN = "open", _("Open writing")
    SILENT = "silent", _("Silent writing")
    REVEAL = "reveal", _("Reveal")
    CLUSTER = "cluster", _("Clustering")
    VOTE = "vote", _("Voting")
    DISCUSS = "discuss", _("Discussion")


class Color(models.TextChoices):
    YELLOW = "yellow", _("yellow")
    BLUE = "blue", _("blue")
    GREEN = "green", _("green")
    PINK = "pink", _("pink")
    ORANGE = "orange", _("orange")
    PURPLE = "purple", _("purple")


class Channel(models.TextChoices):
    """How a card reached the board: typed online, or from paper in a meeting."""

    ONLINE = "online", _("online")
    IN_PERSON = "in_person", _("in person")


class Joining(models.TextChoices):
    OPEN = "open", _("Open: anyone with the code joins")
    APPROVAL = "approval", _("Needs approval: a facilitator admits each joiner")
    CLOSED = "closed", _("Closed: nobody new can join")


class Workshop(TimeStampedModel):
    """A facilitated session in one city; joined with `join_code`."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("city")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="facilitated_workshops",
        blank=True,
        verbose_name=_("facilitators"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fi"
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    method = models.CharField(
        _("method"), max_length=32, choices=Method.choices, default=Method.SERVICE_JAM
    )
    join_code = models.CharField(
        _("join code"), max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code
    )
    joining = models.CharField(
        _("joining"), max_length=16, choices=Joining.choices, default=Joining.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    summary = models.TextField(_("facilitators' summary"), blank=True)
    results_published = models.BooleanField(
        _("results published as open data"), default=False
    )
    results_published_at = models.DateTimeField(null=True, blank=True)
    # When the results were first published, kept when they are withdrawn (which
    # clears the two above): open data tombstones a withdrawn workshop and its
    # cards for mirrors, but never one whose results nobody was shown.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="workshop_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(results_published=False)
                | Q(first_published_at__isnull=False),
                name="workshop_published_has_first_publication",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Board(TimeStampedModel):
    """One live board; `seq` is the number of the last event written to it."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="boards"
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    seq = models.PositiveBigIntegerField(default=0)
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.OPEN
    )
    locked = models.BooleanField(_("locked"), default=False)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    vote_budget = models.PositiveIntegerField(
        _("votes per participant"), default=DEFAULT_VOTE_BUDGET
    )
    # The facilitator's word on voting in the current phase: None = open in the
    # vote phase only; True/False = opened/closed by hand until the next phase.
    voting_choice = models.BooleanField(_("voting opened or closed"), null=True)

    class Meta:
        ordering = ["workshop", "position", "id"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.title

    @property
    def voting_open(self) -> bool:
        """Whether dots may be cast (and taken back) now."""
        if self.voting_choice is not None:
            return self.voting_choice
        return self.phase == Phase.VOTE


# The protocol's budget limit (`workshops.protocol.VOTE_BUDGET_MAX`), kept by
# the database for templates too.
TEMPLATE_VOTE_BUDGET_MAX = 100
TEMPLATE_COLUMNS_MAX = 20


class BoardTemplate(TimeStampedModel):
    """A board's set-up a facilitator saved to reuse: its columns (names in
    order), the phase a new board starts in and the vote budget.

    Listed to its author, and to the city's other facilitators when `shared`.
    A workshop created from it gets one board like it (no cards, no votes).
    """

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="+", verbose_name=_("city")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saved by"),
    )
    name = models.CharField(_("name"), max_length=120)
    columns = models.JSONField(_("columns"), default=list)
    start_phase = models.CharField(
        _("phase to start in"), max_length=16, choices=Phase.choices, default=Phase.OPEN
    )
    vote_budget = models.PositiveIntegerField(
        _("votes per participant"), default=DEFAULT_VOTE_BUDGET
    )
    shared = models.BooleanField(_("shared with the city's facilitators"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("board template")
        verbose_name_plural = _("board templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(vote_budget__lte=TEMPLATE_VOTE_BUDGET_MAX),
                name="board_template_budget_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Column(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    title = models.CharField(_("title"), max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["board", "position", "id"]
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    def __str__(self) -> str:
        return self.title


class Participant(TimeStampedModel):
    """A person on a workshop: an anonymous session or a logged-in user.

    `anonymous_key` is the stable, random key open data derives pseudonyms from.
    """

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_participations",
    )
    display_name = models.CharField(_("display name"), max_length=60)
    anonymous_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    vote_budget = models.PositiveIntegerField(
        _("votes"),
        null=True,
        blank=True,
        help_text=_("Overrides the board's budget for this participant."),
    )
    # Removed by a facilitator: banned (this row, the browser session that
    # joined as it, and its user) until a facilitator readmits them.
    removed_at = models.DateTimeField(null=True, blank=True)
    # Joined a workshop that needs approval and not admitted yet: no board access.
    pending = models.BooleanField(_("waiting for approval"), default=False)

    class Meta:
        ordering = ["workshop", "display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=Q(user__isnull=False),
                name="one_participant_per_user_and_workshop",
            )
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name


class Card(TimeStampedModel):
    """A sticky note. `hidden` while written in silent writing, until the reveal.

    A card and a service dream meet in two ways, both recorded here because
    workshops may depend on ideas but not the other way round: `from_dream` is
    the dream a facilitator placed onto the board as this card, `became_dream` the
    dream this card was turned into (at most one). The dream side keeps its own,
    coarser record in `ideas.DreamLink` (dream -> workshop id, written through the
    ideas services), which is what the dream page shows; the dream page gets the
    workshop's title and address from the resolver this app registers with
    `ideas.selectors.register_workshop_resolver`, so ideas never imports us.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="cards")
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), max_length=CARD_TEXT_MAX)
    language = TextLanguageField()
    color = models.CharField(
        _("colour"), max_length=16, choices=Color.choices, default=Color.YELLOW
    )
    position = models.PositiveIntegerField(default=0)
    group = models.CharField(_("cluster"), max_length=GROUP_NAME_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)
    hidden = models.BooleanField(default=False)
    from_dream = models.ForeignKey(
        Dream,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed from the dream"),
    )
    became_dream = models.OneToOneField(
        Dream,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("turned into the dream"),
    )
    # Paper cards (`workshops.services.paper`): in person, no author, and the
    # meeting they were written in, as the facilitator who typed them named it.
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    meeting = models.CharField(_("meeting"), max_length=MEETING_MAX, blank=True)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)

    class Meta:
        ordering = ["column", "position", "id"]
        indexes = [models.Index(fields=["board", "column", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="card_channel_known"
            ),
            # A meeting is what in-person cards carry; online cards have none.
            models.CheckConstraint(
                condition=Q(channel=Channel.IN_PERSON)
                | Q(meeting="", meeting_on__isnull=True),
                name="card_meeting_only_in_person",
            ),
        ]
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One dot; a participant may put several dots on one card within the budget."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="vote_set")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes"
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["board", "participant"])]


class BoardEvent(models.Model):
    """The numbered log of a board; `payload` is the event as broadcast.

    `private_to` marks an event whose card text only its author may see (silent
    writing); everyone else is sent the payload with the text withheld.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=32)
    op = models.CharField(max_length=64, blank=True)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    private_to = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="unique_board_seq"),
            models.UniqueConstraint(
                fields=["participant", "op"],
                condition=~Q(op=""),
                name="unique_participant_op",
            ),
        ]


class Presence(models.Model):
    """One open WebSocket connection of a participant on a board, held on a lease.

    The process serving the connection renews `last_seen` while it lives; a row
    whose lease ran out belongs to a process that died without running its
    disconnect handlers, and is left out of presence lists (and pruned).
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+"
    )
    channel_name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["board", "last_seen"])]


def board_photo_upload_to(photo: "BoardPhoto", filename: str) -> str:
    # A random name: neither the uploader's file name nor the board's id shows.
    return (
        f"{BOARD_PHOTO_FOLDER}{secrets.token_urlsafe(16)}.{filename.rsplit('.', 1)[-1]}"
    )


class BoardPhoto(models.Model):
    """A photo of a flipchart or paper wall attached to a board.

    Re-encoded without metadata (`core.images`). It may show faces and names, so
    it is private to the workshop's facilitators until one of them publishes it
    (`published_at`); `workshops.services.photos.board_photo_visible` is the
    rule `core.media` asks for every file under `BOARD_PHOTO_FOLDER`.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to=board_photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=PHOTO_CAPTION_MAX, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["board", "created_at", "id"]
        verbose_name = _("board photo")
        verbose_name_plural = _("board photos")

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# Customer panels live in their own module; imported here so Django finds them.
from workshops.panels.models import (  # noqa: E402, F401
    Panel,
    PanelApplication,
    PanelAttendance,
    PanelCustomCriterion,
    PanelMeeting,
)
