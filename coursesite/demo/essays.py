"""Essays for the demo course, written for this project: short student essays on twentieth-century history.

`assignment` is an index into the course's assignments in order of their essay due dates (None: no assignment);
`days_ago` places publication when the assignment has no past due date; `hours_early` places it before
that due date otherwise (negative: published late).
"""

from __future__ import annotations

ESSAYS = [
    {
        "author": 1,
        "title": "The Marshall Plan Was Also an Argument",
        "assignment": 0,
        "days_ago": 40,
        "hours_early": 30,
        "categories": "Cold War, Economy",
        "tags": "1947, Europe, aid",
        "body": """We usually remember the European Recovery Program as a sum of money: about thirteen billion dollars
sent across the Atlantic between 1948 and 1952. I want to argue that it was just as much an argument about
what kind of recovery Europe should have, and who should shape it.

## A speech that asked Europeans to plan

George Marshall's speech at Harvard in June 1947 did not offer a finished programme. It asked the
Europeans to agree on their own needs first. He framed the offer in deliberately broad terms:

> Our policy is directed not against any country or doctrine but against hunger, poverty, desperation
> and chaos.

That sentence left the door open to the Soviet Union and its neighbours. Moscow walked out of the Paris
talks a few weeks later, and pressed Poland and Czechoslovakia to stay away. The door had been open, but
the conditions attached to walking through it, shared plans and open accounts, were ones Stalin would not
accept.

## What the money actually did

Historians still debate how much the aid itself caused the recovery. A few things are easier to defend:

- it paid for imports of food, fuel and machinery that Europe had no dollars to buy;
- it pushed governments to talk to each other about trade, which fed into later cooperation;
- it gave centrist governments something to show voters at a moment when communist parties were strong.

The Marshall Plan was generous, but it was not only generosity. It was a bet that prosperity would do
more to contain communism than soldiers, and a way of making that bet on American terms.
""",
    },
    {
        "author": 2,
        "title": "What the 1918 Influenza Taught City Halls",
        "assignment": 0,
        "days_ago": 39,
        "hours_early": 6,
        "categories": "Public Health",
        "tags": "1918, cities, pandemic",
        "body": """The influenza pandemic of 1918 killed more people than the First World War it overlapped with,
yet for decades it had a small place in textbooks. Reading about how American cities responded, I was
struck less by the medicine, which could do little, than by the politics of closing things.

## Two cities, two timetables

The usual comparison is Philadelphia and St. Louis. Philadelphia held a large Liberty Loan parade in late
September 1918, after cases had already appeared in the city; within days its hospitals were overwhelmed.
St. Louis closed schools, theatres and churches earlier in its outbreak and saw a lower peak of deaths.
The lesson public-health researchers drew much later was about timing: the same measures work better
early than late.

Children at the time turned the disease into a skipping rhyme:

> I had a little bird, its name was Enza.
> I opened the window, and in-flu-enza.

## Why it was forgotten

I think three things pushed the pandemic out of public memory:

1. the war dominated newspapers, and censorship in several countries played down the illness;
2. it struck quickly, in waves of a few weeks, rather than as a single event with a date;
3. grief was private, spread across millions of households rather than gathered around monuments.

The rhyme survived when the statistics did not. That says something about how societies remember, and
about what we choose to record while a crisis is still happening.
""",
    },
    {
        "author": 3,
        "title": "Eleven Months of Flights: The Berlin Airlift",
        "assignment": 0,
        "days_ago": 30,
        "hours_early": 50,
        "categories": "Cold War, Europe",
        "tags": "Berlin, 1948",
        "body": """In June 1948 the Soviet Union cut the road, rail and canal routes into the western sectors of
Berlin. The western Allies answered not with tanks on the autobahn but with aircraft, and for almost
eleven months the city of about two million people was supplied from the air.

## Logistics as strategy

What impresses me is how ordinary the airlift's problems were. Planners had to work out how many tonnes
of coal, flour and dried food a city needs each day, then how many landings per hour the airports could
handle. Tempelhof and Gatow were not enough, so Berliners built a new airfield at Tegel in a matter of
months. By the spring of 1949 planes were landing every few minutes.

The mayor-elect Ernst Reuter gave the blockade its most famous words at a rally in September 1948,
addressing the whole world:

> People of the world, look upon this city!

## Why it worked

- It avoided a direct military confrontation: the Soviets would have had to shoot down unarmed planes.
- It turned a siege into a daily display of western capacity and commitment.
- It changed how many Berliners saw the Americans and British, three years after they had been bombing
  the city.

The blockade was lifted in May 1949. The airlift did not solve the German question; the same year
produced two German states. But it showed that the Cold War could be fought with cargo manifests and
runway schedules as well as with threats.
""",
    },
    {
        "author": 4,
        "title": "Partition and the Price of Speed",
        "assignment": 0,
        "days_ago": 29,
        "hours_early": -2.1,
        "categories": "Empire and Decolonization",
        "tags": "India, Pakistan, 1947",
        "body": """In June 1947 the last viceroy, Lord Mountbatten, announced that Britain would leave India not
in June 1948, as planned, but in August 1947. The boundary between India and Pakistan was drawn in about
five weeks by a lawyer, Cyril Radcliffe, who had never been to India before. The borders were published
two days after independence.

## Freedom and catastrophe on the same night

Jawaharlal Nehru's speech to the Constituent Assembly is rightly famous:

> At the stroke of the midnight hour, when the world sleeps, India will awake to life and freedom.

Yet in Punjab and Bengal the same weeks brought massacres, abductions and one of the largest migrations
in history. Estimates of the dead range from several hundred thousand to two million, and perhaps fifteen
million people crossed the new borders.

## Was the speed the cause?

I do not think the timetable alone caused the violence; communal tensions had been rising since at least
the elections of 1946. But the speed made things worse in specific ways:

- police and army units were being divided between two states while violence spread;
- people did not know which country their village would be in until after independence;
- there was no time to plan for refugees on the scale that followed.

Decolonization is often told as a story of negotiations in capitals. Partition reminds us that decisions
about dates and lines on maps were lived on the ground by people who had no say in them.
""",
    },
    {
        "author": 5,
        "title": "The Dust Bowl Was Made, Not Sent",
        "assignment": 1,
        "days_ago": 21,
        "hours_early": 20,
        "categories": "Economy",
        "tags": "environment, Great Plains, 1930s",
        "body": """It is tempting to describe the Dust Bowl of the 1930s as a natural disaster: years of drought
and heat, and then the wind. But drought had visited the southern Great Plains before. What was new was
how much of the land had been ploughed.

## The great plough-up

During and after the First World War, high wheat prices and new tractors encouraged farmers to turn
millions of acres of native grassland into wheat fields. The deep-rooted grasses had held the soil in
place through dry years. When prices fell and then the rain failed in the early 1930s, bare fields were
left to the wind. On 14 April 1935, remembered as Black Sunday, a wall of dust rolled across Oklahoma and
Texas and turned the afternoon dark.

John Steinbeck opened *The Grapes of Wrath* in that landscape:

> To the red country and part of the gray country of Oklahoma, the last rains came gently, and they did
> not cut the scarred earth.

## The response

The federal government's answer combined relief with a new idea of conservation:

- the Soil Conservation Service, created in 1935, paid and taught farmers to plough along contours and
  plant cover crops;
- shelterbelts of trees were planted across the plains to break the wind;
- some of the worst land was bought back and returned to grass.

The Dust Bowl is a useful case for this course because it blurs the line between environmental and
economic history. The weather was the trigger; the market and the plough had loaded the gun.
""",
    },
    {
        "author": 6,
        "title": "Walking as Protest: Montgomery, 1955–56",
        "assignment": 0,
        "days_ago": 20,
        "hours_early": 3,
        "categories": "Civil Rights",
        "tags": "Montgomery, boycott, 1955",
        "body": """When Rosa Parks refused to give up her seat on a Montgomery bus on 1 December 1955, she was
not a tired seamstress who acted on impulse, as the story was often told. She was an experienced activist
and secretary of the local NAACP branch. The boycott that followed was just as deliberate.

## Organization behind the image

The Women's Political Council, led by Jo Ann Robinson, printed tens of thousands of leaflets overnight
calling for a one-day boycott. The one day became more than a year. Black residents, who made up most of
the bus company's riders, walked, shared cars and used a carpool system with dispatch points across the
city.

At the first mass meeting, on 5 December, a young minister named Martin Luther King Jr. told the crowd:

> There comes a time when people get tired of being trampled over by the iron feet of oppression.

## What ended the boycott

The boycott alone did not change the law. Three things worked together:

1. the economic pressure on the bus company and downtown shops;
2. the federal lawsuit *Browder v. Gayle*, which found bus segregation unconstitutional;
3. the Supreme Court's decision to uphold that ruling in November 1956.

I find Montgomery most interesting as a story of logistics and endurance. The famous photographs show
people walking; the history shows the telephone trees, station wagons and weekly meetings that kept them
walking for 381 days.
""",
    },
    {
        "author": 7,
        "title": "Thirteen Days, Many Misreadings",
        "assignment": 0,
        "days_ago": 14,
        "hours_early": 10,
        "categories": "Cold War",
        "tags": "Cuba, 1962, nuclear",
        "body": """The Cuban Missile Crisis of October 1962 is often told as a test of nerve that Kennedy won.
The more I read, the more it looks like a chain of misreadings that both sides were lucky to escape.

## What each side misjudged

Khrushchev seems to have believed he could place missiles in Cuba secretly and present the United States
with a finished fact. Washington, for its part, underestimated how far the Soviets would go to protect
Cuba and to answer American missiles in Turkey. After the U-2 photographs, the American military
recommended air strikes; we now know that Soviet forces on the island had tactical nuclear weapons that
planners in Washington did not know about.

Dean Rusk's remark during the crisis became its most quoted line:

> We're eyeball to eyeball, and I think the other fellow just blinked.

## How it ended

The public settlement was simple: the Soviets removed the missiles, and the United States promised not to
invade Cuba. The private part was kept quiet for years:

- the United States also agreed to remove its Jupiter missiles from Turkey;
- a hotline between Washington and Moscow followed in 1963;
- both sides signed the Partial Test Ban Treaty that same year.

"Blinking" makes a good story, but the ending was a trade. The crisis teaches less about toughness than
about how dangerous it is when each side is sure it understands the other.
""",
    },
    {
        "author": 8,
        "title": "Ghana's Independence and the Promise of 1957",
        "assignment": 0,
        "days_ago": 10,
        "hours_early": 1,
        "categories": "Empire and Decolonization",
        "tags": "Ghana, Africa, 1957",
        "body": """On 6 March 1957 the Gold Coast became Ghana, the first colony in sub-Saharan Africa to win
independence from Britain. Kwame Nkrumah, who had been released from prison only six years earlier to
lead the government, announced at midnight:

> Ghana, our beloved country, is free forever.

## Why Ghana went first

Several things came together in the Gold Coast earlier than elsewhere:

- a large educated middle class and a lively press;
- cocoa exports that made the colony comparatively wealthy;
- a mass party, the Convention People's Party, that won elections the British could not ignore.

Nkrumah's strategy of "positive action", strikes and boycotts without violence, pushed the colonial
government into a series of constitutions that handed over more power with each step.

## A symbol for a continent

Independence day drew guests from across the world, and Ghana became a model and a meeting place for
anti-colonial movements. Nkrumah argued that Ghana's freedom was meaningless unless it was linked to the
liberation of the whole of Africa, and he hosted the All-African Peoples' Conference in Accra in 1958.

The later story is more troubled: a one-party state, economic strain as cocoa prices fell, and a coup in
1966. But I think it would be a mistake to read 1957 only through 1966. For a moment, a small country
showed that the end of empire in Africa was not a distant possibility but a date on the calendar.
""",
    },
    {
        "author": 9,
        "title": "The Night the Wall Opened",
        "assignment": None,
        "days_ago": 6,
        "hours_early": 0,
        "categories": "Cold War, Europe",
        "tags": "Berlin, 1989",
        "edited_body": True,
        "body": """The Berlin Wall did not fall because of a single decision. On the evening of 9 November 1989 it
opened because of a confused press conference, a crowd that took an announcement at its word, and border
guards who had no orders to stop them.

## A press conference that went wrong

Günter Schabowski, a member of the East German leadership, read out new travel rules near the end of a
long press conference. He had not been told that they were meant to start the next day. Asked when they
would take effect, he looked at his notes and answered:

> As far as I know, it takes effect immediately, without delay.

Television news in the West reported that the border was open. East Berliners watched, and thousands went
to the checkpoints.

## The checkpoint at Bornholmer Straße

At Bornholmer Straße the officer in charge, Harald Jäger, faced a growing crowd and no clear instructions.
Shortly before midnight he let the gates open. Other crossings followed within hours.

What made that night possible:

- months of mass protest in Leipzig and other cities;
- Hungary's opening of its border with Austria that summer;
- Moscow's clear signal that Soviet troops would not intervene.

The opening of the Wall was an accident, but it was an accident waiting to happen.
""",
    },
    {
        "author": 10,
        "title": "Versailles Reconsidered",
        "assignment": 0,
        "state": "draft",
        "categories": "Europe",
        "tags": "1919, peace",
        "body": """Ferdinand Foch, the French marshal, is said to have called the Treaty of Versailles not a
peace but "an armistice for twenty years". The prediction seems to have come true, which makes it easy to
blame the treaty for the Second World War. I am not sure that is fair.

## Harsh, or not harsh enough?

The treaty made Germany accept responsibility for the war, limited its army to 100,000 men, took away its
colonies and some territory, and set up reparations. Keynes called the terms a Carthaginian peace. Other
historians answer that Germany kept most of its land and industry, and that the reparations were reduced
several times in the 1920s.

> Notes to self: check the 1921 London Schedule of Payments and the Dawes Plan figures.

## Questions I still have

- How much did the treaty itself matter compared with the Depression after 1929?
- Would a milder peace have been accepted by French voters in 1919?
- Why did the idea of a "stab in the back" spread so widely?

(Draft: conclusion still to write.)
""",
    },
    {
        "author": 11,
        "title": "Fireside Chats and the Voice in the Kitchen",
        "assignment": None,
        "state": "scheduled",
        "categories": "Economy",
        "tags": "radio, 1933, Roosevelt",
        "body": """Franklin Roosevelt gave his first fireside chat on 12 March 1933, eight days after his
inauguration, in the middle of a banking crisis. He explained, in plain words, what a bank does with a
deposit and why the banks had been closed. When they reopened, deposits came back.

## Radio as a new kind of politics

By the mid-1930s most American homes had a radio. Roosevelt used it differently from earlier
politicians: he spoke as if to a family in its living room, not to a crowd. He had already set the tone
in his first inaugural address:

> The only thing we have to fear is fear itself.

## Why the chats worked

- they were rare, about thirty over twelve years, so each one was an event;
- they explained policy step by step instead of simply defending it;
- listeners wrote back, in their thousands, as if to a person they knew.

Radio made the president a voice in the kitchen. Every later medium, from television to social media,
has promised the same closeness, and every politician since has tried to find their own fireside.
""",
    },
    {
        "author": 12,
        "title": "Apollo 11 as Cold War Theatre",
        "assignment": None,
        "state": "trashed",
        "days_ago": 8,
        "hours_early": 0,
        "categories": "Cold War",
        "tags": "space, 1969",
        "body": """When Neil Armstrong stepped onto the Moon on 20 July 1969, perhaps six hundred million
people were watching on television. The landing was a scientific achievement, but it was also a
performance staged for a global audience in the middle of the Cold War.

## A race with a finish line

After Sputnik in 1957 and Gagarin's flight in 1961, the United States looked like it was losing the space
race. Kennedy's promise in 1961 to land a man on the Moon before the decade was out gave the contest a
clear finish line that the United States could choose and hope to win first.

Armstrong's first words were chosen for the whole world, not only for Americans:

> That's one small step for man, one giant leap for mankind.

## What the audience saw

- a live broadcast shared with countries on both sides of the Iron Curtain;
- a plaque that said the astronauts came "in peace for all mankind";
- an American flag, planted all the same.

The Moon landing shows how the Cold War was fought for opinion as much as for territory.
""",
    },
]

# The edit made to the essay marked "edited_body" a few days after it was published.
EDITED_REPLACE = (
    "- Moscow's clear signal that Soviet troops would not intervene.",
    "- Gorbachev's refusal to use Soviet troops to hold the Eastern bloc together.",
)
EDITED_ADDITION = """

## A correction after the discussion

Several comments asked about the role of the Soviet leadership. I have changed the list above to say more
precisely what Moscow signalled: Gorbachev had said repeatedly that the countries of Eastern Europe could
choose their own course, and on 9 November no Soviet troops left their barracks. The opening was an
accident, but it happened inside a space that years of reform and protest had made.
"""

# Short answers to the second assignment, "Everyday life in the Great Depression" (student 5's is the Dust
# Bowl essay above). Section B (students 7 to 12) has a day longer; student 3 is a few hours late.
DEPRESSION_PIECES = [
    {
        "author": 1,
        "title": "Rent Parties in Harlem",
        "hours_early": 26,
        "categories": "Economy",
        "tags": "1930s, New York, music",
        "body": """When the rent was due and the wages had stopped, families in Harlem opened their apartments to
anyone with a quarter. A piano in the front room, food in the kitchen, and by morning the landlord could be
paid. The cards that advertised these parties survive, and they read like invitations to a celebration, not a
confession of need.

## What the cards tell us

Langston Hughes collected them and remembered the parties fondly in *The Big Sea*:

> The Saturday night rent parties that I attended were often more amusing than any night club.

I think the tone matters. Asking for help openly would have meant shame; selling a good night out kept the
household's dignity and paid the bill. The parties were also a network. Musicians found work, neighbours
learned who was struggling, and money moved from those who had a little to those who had none.

The rent party is a small thing, but it shows people solving a problem the relief offices were slow to
touch, with the resources they had: rooms, music and each other.
""",
    },
    {
        "author": 2,
        "title": "Feed Sack Dresses",
        "hours_early": 8,
        "categories": "Economy",
        "tags": "1930s, clothing, farm life",
        "body": """In farm households across the Midwest, the cotton sacks that held flour and chicken feed
became dresses, aprons, curtains and underwear. The mills noticed, and by the late 1930s they printed their
sacks in floral patterns so that women would choose their brand.

## Thrift as a skill

The oral histories I read describe this as ordinary, not desperate. One woman from Kansas remembered:

> We didn't think of ourselves as poor. Everybody's dress came out of a sack.

That line is worth taking seriously. Poverty that everyone shares does not feel like poverty in the same
way; it feels like the way things are. The sacks also show how far the market reached into the household.
Companies competed for the loyalty of farm wives who had almost no cash, by making the packaging itself the
product.

For a historian, the feed sack is a useful source because so many survive, in museums and in family
quilts. It tells us about scarcity, skill and advertising at once, which no single statistic can.
""",
    },
    {
        "author": 3,
        "title": "The Soup Kitchen Al Capone Opened",
        "hours_early": -5,
        "categories": "Economy",
        "tags": "1930s, Chicago, relief",
        "body": """In the winter of 1930 a soup kitchen on South State Street in Chicago served three meals a day
to anyone who queued. It was paid for by Al Capone. The photographs of the long line of men in hats and
overcoats are some of the best-known images of the early Depression.

## Charity as public relations

It is easy to be cynical about a gangster feeding the poor while under investigation for tax evasion, and
the newspapers were. But the men in the queue were hungry, and the city's own relief was overwhelmed. One man
who queued there remembered it years later:

> Nobody asked where the money came from, and nobody cared.

What the kitchen shows is how thin public relief was before 1933. Private charity, churches and, here,
criminals filled a gap the state did not yet accept as its own. The New Deal changed that expectation,
and I think that change is the real subject of this photograph: the idea that a government, not a
benefactor, owed people a meal when the economy failed them.
""",
    },
    {
        "author": 4,
        "title": "A Mill Town Without a Mill",
        "hours_early": 3,
        "categories": "Economy",
        "tags": "1930s, textiles, unemployment",
        "body": """When the Amoskeag mills in Manchester, New Hampshire closed in 1935, the town lost the
employer that had housed, paid and organised its families for generations. Oral histories recorded with
its workers let them describe what that meant in their own words.

## Losing more than a wage

What strikes me is how many of them talk about the mill as a community, not only as a job. Families worked
the same floors; marriages began on them. One weaver said:

> When the mill went, it was like the whole town had a funeral.

People got by in the ways the reading list keeps showing: taking in boarders, moving in with relatives,
growing vegetables on any open ground, and sending children to look for work in other towns. Some went back
to Quebec, where many families had come from.

The closing also explains the politics of the decade. People who had trusted a company to look after them
turned to the federal government instead, and expected it to do what the company no longer would.
""",
    },
    {
        "author": 6,
        "title": "Migrant Mother, Seen Again",
        "hours_early": 12,
        "categories": "Photography",
        "tags": "1936, Dorothea Lange, California",
        "body": """Dorothea Lange's photograph of Florence Owens Thompson and her children, taken in a pea
pickers' camp in Nipomo, California in March 1936, became the face of the Depression. It is worth asking
what the picture shows and what it leaves out.

## The photographer's notes

Lange wrote in her field notes that the family had been living on frozen vegetables from the fields and
birds the children killed. Decades later Thompson's children remembered it differently, and Thompson herself
said she never received anything from the photograph's fame:

> I wish she hadn't taken my picture.

The image was made for the Resettlement Administration, which needed public support for its camps. That
does not make it false, but it was chosen, framed and captioned to persuade. Lange took several exposures
and the most famous one removes the teenage daughter and the tent around them.

Used alongside the family's own account, the photograph tells us more about how the Depression was
explained to the rest of the country than about one family's week.
""",
    },
    {
        "author": 7,
        "title": "Hoovervilles on the River",
        "hours_early": -14,
        "categories": "Economy",
        "tags": "1930s, housing, Seattle",
        "body": """By 1931 a settlement of shacks built from scrap wood and tin had grown on the Seattle
waterfront. Its residents called it Hooverville, elected a mayor, and negotiated with the city health
department to stay. At its largest it held about a thousand people.

## A town inside a city

Accounts from the time describe rules about sanitation and fighting, and a sense of pride in what the men
had built. One resident told a visiting student:

> We have no rent to pay, no taxes, and we govern ourselves.

That pride is the part I did not expect. The name was meant as an insult to the president, but the people
who lived there made it a place with its own order. Most of them were single men who had followed work to
the coast and found none.

The city burned the first shacks in 1931 and the residents rebuilt them. Seattle's Hooverville lasted until
1941, which says something about how long the Depression lasted for the people at the bottom of it.
""",
    },
    {
        "author": 8,
        "title": "The Relief Office Interview",
        "hours_early": -10,
        "categories": "Economy",
        "tags": "1930s, welfare, New Deal",
        "body": """Before a family could receive relief in the early 1930s, a caseworker came to the house. She
looked in the cupboards, asked about relatives who might help, and wrote down whether the family had a radio
or a car. The case files that survive show how humiliating this was for people who had always worked.

## Being judged

Letters written to the Roosevelts return to this again and again. One, from a man in Ohio, reads:

> I have never asked for anything in my life, and now I must tell a stranger what we eat.

The New Deal's work programmes, such as the Works Progress Administration, were popular partly because
they avoided this. A wage for work, even made-up work, felt different from a handout, and people said so.

I think the interview explains why Americans drew a line between relief and work that still shapes debates
about welfare today. The difference was not only economic. It was about who got to keep their self-respect.
""",
    },
    {
        "author": 9,
        "title": "Listening Together: Radio in Hard Times",
        "hours_early": -20,
        "categories": "Culture",
        "tags": "1930s, radio, family",
        "body": """Families who gave up cars, telephones and new clothes during the Depression often kept the
radio. Surveys from the period found that many households paid the instalments on a radio before other
bills, and historians have asked why.

## The cheapest seat in the house

Once a family owned a set, the entertainment was free: comedies, serials, music and the news. A woman
interviewed late in the decade remembered:

> We could be poor all day and rich for an hour on Sunday night.

The radio also brought politics into the kitchen. Roosevelt's fireside chats reached families who had never
heard a president's voice, and letters to the White House show that listeners felt he was speaking to them.

What I take from the sources is that people did not only cut back. They chose what mattered, and a shared
hour around the radio mattered enough to pay for when other things went unpaid.
""",
    },
    {
        "author": 11,
        "title": "School Without Shoes",
        "hours_early": -6,
        "categories": "Education",
        "tags": "1930s, children, schools",
        "body": """In 1933 thousands of rural schools in the United States closed early or shortened the term
because districts could not pay teachers. Where schools stayed open, children sometimes stayed home because
they had no shoes for winter.

## Children's letters

Some of the most direct sources are letters children wrote to Eleanor Roosevelt asking for clothes or
schoolbooks. A girl from Arkansas wrote:

> I would like to go to school this winter but I have no coat, and the other girls laugh.

These letters are hard to read, and they were written to persuade, so they cannot stand for every family.
But they show what children understood about their situation: school was the way out, and poverty was
keeping them from it.

Federal money for school lunches and the National Youth Administration's part-time jobs for students came
later in the decade. They are signs that the government had begun to see children's schooling as something
the Depression should not be allowed to take away.
""",
    },
    {
        "author": 12,
        "title": "Bartering on Main Street",
        "hours_early": -16,
        "categories": "Economy",
        "tags": "1930s, money, small towns",
        "body": """When the banks closed in 1933, many towns simply ran out of money. Some printed their own
scrip; others traded without money at all. Doctors took chickens, shopkeepers took eggs, and newspapers
printed lists of who would swap what.

## Money you could make yourself

The scrip issued by towns and companies in these years survives in collections, and it is a striking
source. It shows local governments doing something only central banks are supposed to do. A shopkeeper in
Iowa told an interviewer:

> Nobody cared whose name was on the paper, as long as the baker took it.

Barter and scrip did not end the Depression, and economists are sceptical of how much they helped. But they
show communities refusing to stop trading just because money had become scarce.

For me, this is the most hopeful part of the reading. People kept their local economies alive by trusting
each other when trust in the banks had run out.
""",
    },
]

# Early answers to the assignment due this week, "One road to independence": two students have published,
# so classmates have essays to comment on (student 3, who has an extension, has commented on one).
CURRENT_PIECES = [
    {
        "author": 1,
        "title": "Ghana: Independence Bargained in the Streets",
        "days_ago": 2,
        "categories": "Politics",
        "tags": "1957, Africa, decolonisation",
        "body": """On 6 March 1957 the Gold Coast became Ghana, the first colony south of the Sahara to win its
independence. It is often told as a gift from a tired empire. The sources suggest something closer to a
bargain, struck under pressure from people the colonial government had not expected to listen to.

## Who pushed

Kwame Nkrumah's Convention People's Party grew out of the 1948 riots, when ex-servicemen marching to present
a petition were fired on in Accra. The party's call for "Self-Government Now" reached market women, clerks and
farmers who had never voted. At midnight on the day itself, Nkrumah told the crowd:

> At long last, the battle has ended. And thus Ghana, your beloved country, is free forever.

## Who was left out

Not everyone cheered. The Asante chiefs and the National Liberation Movement wanted a federation that would
protect their region's cocoa wealth, and they lost. The British handed power to the party that had won the
elections, which was fair, but it also meant that the new state began with a quarrel it never settled.

Independence was won in the sense that the British would not have left so soon without the boycotts, the
strikes and the votes. It was bargained in the sense that the timetable, the constitution and the
guarantees were all negotiated. Whom you ask decides which word comes first.
""",
    },
    {
        "author": 2,
        "title": "India 1947: Two Flags at Midnight",
        "days_ago": 1,
        "categories": "Politics",
        "tags": "1947, South Asia, decolonisation",
        "body": """India's independence is usually dated to a single speech at midnight. I want to argue that it
was the end of a thirty-year negotiation, and that the partition which came with it was part of the price
each side was willing to pay.

## A movement of many voices

The Congress spoke for a nation, but it was never the only voice. The Muslim League, the princes and the
leaders of the lowest castes all had their own terms. Nehru's words are famous:

> At the stroke of the midnight hour, when the world sleeps, India will awake to life and freedom.

Fewer people remember that, at the same hour, millions were already on the roads between two new borders.

## Granted, won, or bargained

Britain did not grant independence out of generosity: it could no longer pay for the army that holding
India required. Nor was it simply won, because the final shape of the two states was decided in rooms
where most Indians had no seat. It was bargained, and the people left out of the bargain paid for it most.
""",
    },
]
